-- The strategy hierarchy: strategic issue -> plan -> project (any depth through parent_code).
-- grain: one row per node_code
CREATE TABLE dim_strategy_node AS
SELECT node_code, parent_code, node_type, name_th, coalesce(name_en, name_th) AS name_en,
       owner_unit, budget_baht, fiscal_year, coalesce(weight, 1.0) AS weight, area_code,
       coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_strategy_nodes;

-- The KPI passport. grain: one row per kpi_code
-- is_count: the unit counts whole things (data/seeds/count_units.csv), so /entry takes whole numbers
-- unit_en: the unit's English name (stg_seed__unit; NULL fails check unit_names); the passport's
-- English texts (*_en) are the catalogue's own columns, blank where it has none
-- reported_by: 'district' = each district's editors enter its figures; blank = 'province', the owner
-- unit only (ops/scope.py, docs/RULES.md section 12)
CREATE TABLE dim_kpi AS
SELECT k.* REPLACE (coalesce(k.provenance, 'entered') AS provenance, coalesce(k.reported_by, 'province') AS reported_by),
       k.unit IN ('ร้อยละ', '%', 'percent') AS is_percent,
       coalesce(trim(k.unit) IN (SELECT unit FROM stg_seed__count_unit), false) AS is_count,
       u.name_en AS unit_en
FROM raw_kpis k LEFT JOIN stg_seed__unit u ON u.unit = trim(k.unit);

-- A KPI may serve several plans/projects. grain: (kpi_code, node_code)
CREATE TABLE bridge_kpi_node AS
SELECT kpi_code, node_code, coalesce(weight, 1.0) AS weight, coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_kpi_links;

-- Leading -> lagging links. grain: (leading_kpi_code, lagging_kpi_code)
CREATE TABLE bridge_kpi_leading AS
SELECT leading_kpi_code, lagging_kpi_code, coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_kpi_leading_links;

-- Five-level criteria and status bands per KPI and fiscal year (default bands: red < 3, green >= 4).
-- grain: (kpi_code, fiscal_year)
CREATE TABLE dim_kpi_criteria AS
SELECT kpi_code, fiscal_year, t1, t2, t3, t4, t5, weight,
       coalesce(red_below, (SELECT value FROM stg_seed__rule WHERE rule = 'kpi_red_below')) AS red_below,
       coalesce(green_from, (SELECT value FROM stg_seed__rule WHERE rule = 'kpi_green_from')) AS green_from,
       coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_kpi_criteria;

-- The unit that keeps a dataset naming no KPI, indicator or project (data/seeds/dataset_keepers.csv;
-- ops/scope.py's unit rule). grain: dataset
CREATE TABLE dim_dataset_keeper AS
SELECT trim(dataset) AS dataset, trim(owner_unit) AS owner_unit, note_th, note_en
FROM raw_seed_dataset_keeper WHERE coalesce(trim(dataset), '') <> '';

-- The cockpit rules, for the pages to show the thresholds they were judged by. grain: rule
CREATE TABLE dim_rule AS SELECT rule, value, unit, note_th, note_en FROM stg_seed__rule;

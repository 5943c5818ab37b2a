-- Units that count whole things (data/seeds/count_units.csv): a KPI in one of them takes whole
-- numbers only on /entry (dim_kpi.is_count, ops/entry.py check_value).
-- grain: one row per unit
CREATE TABLE stg_seed__count_unit AS
SELECT DISTINCT trim(unit) AS unit, trim(name_en) AS name_en
FROM raw_seed_count_unit
WHERE coalesce(trim(unit), '') <> '';

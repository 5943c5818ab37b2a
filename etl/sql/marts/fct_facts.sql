-- KPI targets. grain: (kpi_code, fiscal_year, month, area_code); month NULL = whole year
CREATE TABLE fct_kpi_target AS
SELECT kpi_code, fiscal_year, month, area_code, period_date, target, provenance, source_ref, _file, _row
FROM stg_kpi_targets;

-- KPI actuals, the month's own value. grain: (kpi_code, fiscal_year, month, area_code)
CREATE TABLE fct_kpi_actual AS
SELECT kpi_code, fiscal_year, month, area_code, period_date, value, reported_on,
       provenance, source_ref, _file, _row
FROM stg_kpi_actuals;

-- Project plan and results per month, cumulative. grain: (project_code, fiscal_year, month)
CREATE TABLE fct_project_month AS
SELECT project_code, fiscal_year, month, period_date, planned_progress_pct, planned_disbursement_baht,
       actual_progress_pct, actual_disbursement_baht, provenance, source_ref, _file, _row
FROM stg_project_plans;

-- Provincial indicator values. grain: (indicator_code, year, area_code)
CREATE TABLE fct_indicator_value AS
SELECT indicator_code, year AS year_be, area_code, value, coalesce(provenance, 'entered') AS provenance,
       source_ref, _file, _row
FROM raw_indicator_values;

-- GPP: official NESDC totals and sector rows from the uniform template.
-- grain: (province_code, year_be, classification, sector_code, price_basis, edition)
CREATE TABLE fct_gpp AS
SELECT province_code, year_be, 'ISIC4' AS classification, 'TOTAL' AS sector_code, 'cp' AS price_basis,
       CAST(NULL AS INTEGER) AS reference_year, value_million_baht, revision_flag, edition,
       'official' AS provenance, source_ref, _file, _row
FROM stg_gpp__nesdc
UNION ALL
SELECT province_code, year, classification, sector_code, price_basis, reference_year,
       value_million_baht, revision_flag, edition, coalesce(provenance, 'entered'), source_ref, _file, _row
FROM raw_gpp_sector;

-- Population. grain: (source, area_code, year_be)
CREATE TABLE fct_population AS
SELECT source, area_code, year_be, total, male, female, households, 'official' AS provenance, source_ref
FROM stg_population;

-- Disaster events by district. grain: (event_id, district_code)
CREATE TABLE fct_disaster AS
SELECT event_id, district_code, disaster_type, start_date, end_date, damage_baht, households_affected,
       area_rai, coalesce(provenance, 'entered') AS provenance, source_ref, _file, _row
FROM raw_disasters;

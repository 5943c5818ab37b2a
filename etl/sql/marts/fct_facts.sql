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

-- Provincial indicator values of this province. Official figures as published: registered
-- population (I01) is DOPA's total for the province and its districts, from the first year of
-- the official province series on; HAI, tourism and BOI are the province's own rows. A row of a
-- file or web entry with the same key as an official figure is not carried (no twin of an
-- official figure). grain: (indicator_code, year_be, area_code)
CREATE TABLE fct_indicator_value AS
WITH home AS (SELECT province_code FROM raw_snapshot),
official AS (
    SELECT indicator_code, year_be, area_code, value, source_ref, _file, _row
    FROM stg_indicator__official WHERE area_code = (SELECT province_code FROM home)
    UNION ALL
    SELECT 'I01', p.year_be, p.area_code, CAST(p.total AS DOUBLE), p.source_ref, p._file, CAST(NULL AS BIGINT)
    FROM stg_population p JOIN dim_area a USING (area_code)
    WHERE p.source = 'DOPA' AND a.province_code = (SELECT province_code FROM home)
      AND a.area_level IN ('province', 'district')
      AND p.year_be >= (SELECT min(year_be) FROM stg_indicator__official)
)
SELECT indicator_code, year_be, area_code, value, 'official' AS provenance, source_ref, _file, _row
FROM official
UNION ALL
SELECT indicator_code, year AS year_be, area_code, value, coalesce(provenance, 'entered') AS provenance,
       source_ref, _file, _row
FROM raw_indicator_values r
WHERE NOT EXISTS (SELECT 1 FROM official o WHERE o.indicator_code = r.indicator_code AND o.year_be = r.year
                                               AND o.area_code = r.area_code);

-- GPP: official NESDC totals, NESDC's sector table (provinces) and sector rows from the uniform template.
-- grain: (province_code, year_be, classification, sector_code, price_basis, edition)
CREATE TABLE fct_gpp AS
SELECT province_code, year_be, 'ISIC4' AS classification, 'TOTAL' AS sector_code, 'cp' AS price_basis,
       CAST(NULL AS INTEGER) AS reference_year, value_million_baht, revision_flag, edition,
       'official' AS provenance, source_ref, _file, _row
FROM stg_gpp__nesdc
UNION ALL   -- NESDC's sector table: its sections, and its totals where the totals file has none
SELECT area_code, year_be, classification, sector_code, price_basis, reference_year, value_million_baht,
       revision_flag, edition, provenance, source_ref, _file, _row
FROM stg_gpp__nesdc_sector s
WHERE area_level = 'province'
  AND NOT (sector_code = 'TOTAL' AND price_basis = 'cp' AND EXISTS (
      SELECT 1 FROM stg_gpp__nesdc t WHERE t.province_code = s.area_code AND t.year_be = s.year_be
                                       AND t.edition = s.edition))
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

-- The KPIs' freshness judged against the round a page shows ($fy, fiscal month index $idx, as
-- components.cockpit.resolve_point picks it) at $area (the province, or a district): the rows of
-- fct_freshness's shape (dataset 'kpi', item_code = kpi_code) from the mart's one definition
-- (etl/sql/marts/quality.sql, kpi_freshness_at). kpi_code: db.query keeps only the KPIs the reader
-- may see.
SELECT f.*, f.item_code AS kpi_code
FROM kpi_freshness_at(CAST($fy AS INTEGER) * 12 + CAST($idx AS INTEGER), CAST($area AS VARCHAR)) f
ORDER BY f.item_code

-- The reports late now, in the province $province and its districts: each KPI and area whose latest
-- point of the current fiscal year is late (the same point changes.sql compares), with its owner
-- unit, for the digest's "late reports by unit".
WITH fy AS (SELECT max(fiscal_year) AS fy FROM fct_kpi_status)
SELECT s.kpi_code, s.area_code, k.owner_unit
FROM fct_kpi_status s JOIN dim_kpi k USING (kpi_code)
WHERE s.fiscal_year = (SELECT fy FROM fy) AND starts_with(s.area_code, $province)
QUALIFY s.fiscal_idx = max(s.fiscal_idx) OVER (PARTITION BY s.kpi_code, s.area_code) AND s.status = 'late'
ORDER BY k.owner_unit, s.kpi_code, s.area_code

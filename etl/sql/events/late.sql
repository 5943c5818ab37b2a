-- The reports late now, in the province $province and its districts: each KPI and area whose judged
-- point at the province's round is late (fct_kpi_judged, the same point changes.sql compares), with
-- its owner unit, for the digest's "late reports by unit".
SELECT j.kpi_code, j.area_code, k.owner_unit
FROM fct_kpi_judged j JOIN dim_kpi k USING (kpi_code)
WHERE j.is_current AND starts_with(j.area_code, $province) AND j.status = 'late'
ORDER BY k.owner_unit, j.kpi_code, j.area_code

-- Values of fiscal year $fy in province $province (the province and its districts) that the
-- after-storing check flags for a verifier (beyond 3 standard deviations of the same KPI and
-- area's other values). A national snapshot holds every province: this office reviews its own.
SELECT c.kpi_code, k.name_th, k.name_en, c.area_code, c.fiscal_year, c.month, c.value, c.provenance, k.verifier
FROM fct_quality_kpi_cell c JOIN dim_kpi k USING (kpi_code)
WHERE c.outlier AND c.fiscal_year = $fy AND starts_with(c.area_code, $province)
ORDER BY c.kpi_code, c.area_code, fiscal_index(c.month)

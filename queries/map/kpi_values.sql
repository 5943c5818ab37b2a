-- One KPI's districts in fiscal year $year at the province's round (fct_kpi_judged, docs/RULES.md
-- section 3): value to date, score, status. kpi_code is selected so db.py hides a KPI the reader
-- may not see.
SELECT j.kpi_code, j.area_code, j.value_to_date AS value, k.unit, k.unit_en, j.status, j.score, j.month, k.provenance
FROM fct_kpi_judged j JOIN dim_kpi k USING (kpi_code)
JOIN dim_district d ON d.district_code = j.area_code AND d.province_code = $province
WHERE j.kpi_code = $code AND j.fiscal_year = $year

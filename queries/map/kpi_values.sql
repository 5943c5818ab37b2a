-- One KPI's districts in fiscal year $year at the year's latest reported month: value to date,
-- score, status. kpi_code is selected so db.py hides a KPI the reader may not see.
WITH pt AS (
    SELECT max(fiscal_idx) AS idx FROM fct_kpi_status s JOIN dim_district d ON d.district_code = s.area_code
    WHERE s.kpi_code = $code AND s.fiscal_year = $year AND s.n_reports > 0 AND d.province_code = $province
)
SELECT s.kpi_code, s.area_code, s.value_to_date AS value, k.unit, s.status, s.score, s.month, k.provenance
FROM fct_kpi_status s JOIN dim_kpi k USING (kpi_code)
JOIN dim_district d ON d.district_code = s.area_code AND d.province_code = $province
WHERE s.kpi_code = $code AND s.fiscal_year = $year AND s.fiscal_idx = (SELECT idx FROM pt)

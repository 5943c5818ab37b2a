-- KPIs with district values in $province: fiscal years present.
SELECT k.kpi_code, k.name_th, k.name_en, k.unit, k.unit_en, list(DISTINCT s.fiscal_year ORDER BY s.fiscal_year) AS years
FROM dim_kpi k JOIN fct_kpi_status s USING (kpi_code)
JOIN dim_district d ON d.district_code = s.area_code AND d.province_code = $province
WHERE s.n_reports > 0
GROUP BY ALL ORDER BY k.kpi_code

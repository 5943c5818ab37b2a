-- Years (B.E.) with DOPA population at $level areas (of $province unless provinces).
SELECT DISTINCT p.year_be FROM fct_population p JOIN dim_area a USING (area_code)
WHERE p.source = 'DOPA' AND a.area_level = $level AND ($level = 'province' OR a.province_code = $province)
ORDER BY 1

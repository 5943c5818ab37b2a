-- Indicators with values at $level areas of $province: years present, unit, provenance.
SELECT i.indicator_code, i.name_th, i.name_en, i.unit, list(DISTINCT v.year_be ORDER BY v.year_be) AS years
FROM dim_indicator i
JOIN fct_indicator_value v USING (indicator_code)
JOIN dim_area a ON a.area_code = v.area_code AND a.area_level = $level AND a.province_code = $province
GROUP BY ALL ORDER BY i.indicator_code

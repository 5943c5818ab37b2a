-- Open data: provincial indicator values by area (the province and its districts) and year.
-- db.query keeps the open indicators (indicator_code). $province; $year, $area, $indicator: NULL for all.
SELECT v.indicator_code, i.name_th, i.name_en, i.unit, v.year_be, v.area_code, a.area_level,
       a.name_th AS area_name_th, a.name_en AS area_name_en, v.value, v.provenance, v.source_ref
FROM fct_indicator_value v
JOIN dim_indicator i USING (indicator_code)
JOIN dim_area a ON a.area_code = v.area_code AND a.province_code = $province
WHERE i.classification = 'open'
  AND ($year IS NULL OR v.year_be = $year) AND ($area IS NULL OR v.area_code = $area)
  AND ($indicator IS NULL OR v.indicator_code = $indicator)
ORDER BY v.indicator_code, v.year_be, length(v.area_code), v.area_code

-- One indicator's values by area and year, with the area names (the province's own row first).
SELECT v.indicator_code, v.year_be, v.area_code, a.name_th, a.name_en, v.value, v.provenance
FROM fct_indicator_value v LEFT JOIN dim_area a USING (area_code)
WHERE v.indicator_code = $code
ORDER BY length(v.area_code), v.area_code, v.year_be

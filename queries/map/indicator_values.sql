-- One indicator's values in one year at $level areas of $province (indicator_code selected so db.py
-- hides an indicator the reader may not see).
SELECT v.indicator_code, v.area_code, v.value, i.unit, i.unit_en, v.provenance, v.source_ref
FROM fct_indicator_value v JOIN dim_indicator i USING (indicator_code)
JOIN dim_area a ON a.area_code = v.area_code AND a.area_level = $level AND a.province_code = $province
WHERE v.indicator_code = $code AND v.year_be = $year

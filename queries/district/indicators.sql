-- Every indicator with values for $district, and the province's value the same year.
SELECT v.indicator_code, i.name_th, i.name_en, i.unit, i.direction, v.year_be, v.value,
       pv.value AS province_value, v.provenance
FROM fct_indicator_value v JOIN dim_indicator i USING (indicator_code)
LEFT JOIN fct_indicator_value pv ON pv.indicator_code = v.indicator_code AND pv.year_be = v.year_be
                                AND pv.area_code = $province
WHERE v.area_code = $district
ORDER BY v.indicator_code, v.year_be

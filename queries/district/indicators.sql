-- Every indicator with values for $district, and the province's value the same year; then each
-- indicator published for the province only (area_level 'province': HAI, tourism, BOI) with the
-- province's latest value, district_level FALSE (no district figure exists; none is invented).
SELECT v.indicator_code, i.name_th, i.name_en, i.unit, i.unit_en, i.direction, TRUE AS district_level, v.year_be,
       v.value, pv.value AS province_value, v.provenance
FROM fct_indicator_value v JOIN dim_indicator i USING (indicator_code)
LEFT JOIN fct_indicator_value pv ON pv.indicator_code = v.indicator_code AND pv.year_be = v.year_be
                                AND pv.area_code = $province
WHERE v.area_code = $district
UNION ALL
SELECT pv.indicator_code, i.name_th, i.name_en, i.unit, i.unit_en, i.direction, FALSE, pv.year_be, NULL, pv.value,
       pv.provenance
FROM fct_indicator_value pv JOIN dim_indicator i USING (indicator_code)
WHERE i.area_level = 'province' AND pv.area_code = $province
QUALIFY pv.year_be = max(pv.year_be) OVER (PARTITION BY pv.indicator_code)
ORDER BY district_level DESC, indicator_code, year_be

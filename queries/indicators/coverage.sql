-- Coverage of each indicator published by district: for every year with a district value and
-- every district of $province, whether a value exists. One row per indicator x year x district.
-- Indicators published for the province only (area_level 'province') have no district cells.
WITH years AS (SELECT DISTINCT v.year_be FROM fct_indicator_value v JOIN dim_district d ON d.district_code = v.area_code
               WHERE d.province_code = $province),
     districts AS (SELECT district_code, name_th, name_en FROM dim_district WHERE province_code = $province)
SELECT i.indicator_code, i.name_th AS indicator_th, i.name_en AS indicator_en, y.year_be, d.district_code,
       d.name_th, d.name_en, v.value IS NOT NULL AS present, i.provenance
FROM dim_indicator i CROSS JOIN years y CROSS JOIN districts d
LEFT JOIN fct_indicator_value v ON v.indicator_code = i.indicator_code AND v.year_be = y.year_be
                               AND v.area_code = d.district_code
WHERE i.area_level = 'district'
ORDER BY i.indicator_code, y.year_be, d.district_code

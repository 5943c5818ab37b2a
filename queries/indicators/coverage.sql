-- Coverage of each indicator: for every year present in the database and every district of
-- $province, whether a value exists. One row per indicator x year x district.
WITH years AS (SELECT DISTINCT year_be FROM fct_indicator_value),
     districts AS (SELECT district_code, name_th, name_en FROM dim_district WHERE province_code = $province)
SELECT i.indicator_code, i.name_th AS indicator_th, i.name_en AS indicator_en, y.year_be, d.district_code,
       d.name_th, d.name_en, v.value IS NOT NULL AS present
FROM dim_indicator i CROSS JOIN years y CROSS JOIN districts d
LEFT JOIN fct_indicator_value v ON v.indicator_code = i.indicator_code AND v.year_be = y.year_be
                               AND v.area_code = d.district_code
ORDER BY i.indicator_code, y.year_be, d.district_code

-- Display geometry of one level: 'province' (all), 'district' or 'subdistrict' (of $province), with names.
SELECT s.area_code, s.geojson, a.name_th, a.name_en
FROM geo_shape s JOIN dim_area a USING (area_code)
WHERE s.area_level = $level AND ($level = 'province' OR a.province_code = $province)
ORDER BY s.area_code

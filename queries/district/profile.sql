-- One district with its province. $district: DOPA code.
SELECT d.district_code, d.name_th, d.name_en, d.area_km2, d.province_code, p.name_th AS province_th,
       p.name_en AS province_en
FROM dim_district d JOIN dim_province p USING (province_code)
WHERE d.district_code = $district

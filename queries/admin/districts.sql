-- Districts of $province for the account form's area picker.
SELECT area_code, name_th, name_en FROM dim_area
WHERE area_level = 'district' AND province_code = $province
ORDER BY area_code

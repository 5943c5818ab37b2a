-- Names of the province this office serves. $province: DOPA code.
SELECT province_code, name_th, name_en, region
FROM dim_province
WHERE province_code = $province

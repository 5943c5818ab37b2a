-- Official code tables (TIS-1099 / DOPA codes) for all three levels, renamed.
-- grain: one row per area_code
CREATE TABLE stg_ref__area AS
SELECT 'province' AS area_level, trim(tis1099_code) AS area_code, NULL AS parent_code,
       trim(tis1099_code) AS province_code, trim(name_th) AS name_th, trim(name_en_canonical) AS name_en,
       trim(region) AS region
FROM raw_ref_province
UNION ALL
SELECT 'district', trim(tis1099_district_code), trim(parent_province_tis1099_code),
       trim(parent_province_tis1099_code), trim(name_th), trim(name_en), NULL
FROM raw_ref_district
UNION ALL
SELECT 'subdistrict', trim(tis1099_subdistrict_code), trim(parent_district_tis1099_code),
       trim(parent_province_tis1099_code), trim(name_th), trim(name_en), NULL
FROM raw_ref_subdistrict;

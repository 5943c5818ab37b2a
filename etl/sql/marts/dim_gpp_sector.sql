-- grain: one row per (classification, sector_code); TOTAL is the provincial total line.
CREATE TABLE dim_gpp_sector AS
SELECT classification, sector_code, line_no, name_th, name_en, alias_th, sector_group,
       sector_code = 'TOTAL' AS is_total, note
FROM stg_seed__gpp_sector;

-- grain: one row per disaster type
CREATE TABLE dim_disaster_type AS SELECT * FROM stg_seed__disaster_type;

-- The areas of NESDC's GPP tables: the 77 provinces (with their NESDC region and sub-region),
-- NESDC's sub-regions (clusters; code SR- and the member provinces' codes, from the cluster's
-- name in the table), its seven regions (R-BKK, R-C, R-E, R-W, R-N, R-NE, R-S) and the
-- kingdom (TH). Region membership: etl/official.py NESDC_REGIONS, checked against NESDC's GRP
-- by etl/sql/checks/gpp_nesdc_sector.sql.
-- grain: one row per area_code
CREATE TABLE dim_gpp_area AS
WITH sub AS (
    SELECT DISTINCT area_code, nesdc_name FROM stg_gpp__nesdc_sector WHERE area_level = 'subregion'
), sub_member AS (
    SELECT area_code, unnest(string_split(substr(area_code, 4), '-')) AS member_code FROM sub
)
SELECT p.province_code AS area_code, 'province' AS area_level, p.name_th, p.name_en,
       r.area_code AS region_code, s.area_code AS subregion_code
FROM dim_province p
LEFT JOIN raw_nesdc_area r ON r.member_code = p.province_code
LEFT JOIN sub_member s ON s.member_code = p.province_code
UNION ALL
SELECT s.area_code, 'subregion',
       'กลุ่มจังหวัด ' || string_agg(p.name_th, ' ' ORDER BY p.name_th),
       trim(split_part(s.nesdc_name, '(', 1)) || ' (' || string_agg(p.name_en, ', ' ORDER BY p.name_en) || ')',
       NULL, NULL
FROM sub s JOIN sub_member m USING (area_code) JOIN dim_province p ON p.province_code = m.member_code
GROUP BY s.area_code, s.nesdc_name
UNION ALL
SELECT DISTINCT area_code, area_level, name_th, name_en, NULL, NULL FROM raw_nesdc_area;

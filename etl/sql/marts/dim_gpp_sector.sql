-- grain: one row per (classification, sector_code); TOTAL is the provincial total line.
CREATE TABLE dim_gpp_sector AS
SELECT classification, sector_code, line_no, name_th, name_en, alias_th, sector_group,
       sector_code = 'TOTAL' AS is_total, note
FROM stg_seed__gpp_sector;

-- grain: one row per disaster type
CREATE TABLE dim_disaster_type AS SELECT * FROM stg_seed__disaster_type;

-- The GPP sector catalogue (data/seeds/gpp_sectors.csv).
-- grain: one row per (classification, sector_code)
CREATE TABLE stg_seed__gpp_sector AS
SELECT trim(classification) AS classification, trim(sector_code) AS sector_code,
       CAST(line_no AS INTEGER) AS line_no, trim(name_th) AS name_th, trim(name_en) AS name_en,
       NULLIF(trim(alias_th), '') AS alias_th, trim(sector_group) AS sector_group,
       NULLIF(trim(note), '') AS note
FROM raw_seed_gpp_sector;

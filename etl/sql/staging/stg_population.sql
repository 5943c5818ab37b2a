-- Population: DOPA registration (31 Dec each year, all levels) and NESDC's GPP denominator.
-- NESDC publishes thousands with 3 decimals, i.e. whole persons: converted exactly.
-- grain: one row per (source, area_code, year_be)
CREATE TABLE stg_population AS
SELECT 'DOPA' AS source, trim(dopa_geocode) AS area_code, CAST(year AS INTEGER) + 543 AS year_be,
       CAST(total AS BIGINT) AS total, TRY_CAST(NULLIF(male, '') AS BIGINT) AS male,
       TRY_CAST(NULLIF(female, '') AS BIGINT) AS female,
       TRY_CAST(NULLIF(households, '') AS BIGINT) AS households,
       'กรมการปกครอง สถิติประชากรทางการทะเบียน ณ 31 ธ.ค. ผ่าน Ahoerstemeier/tambon' AS source_ref,
       _file
FROM raw_dopa_population
WHERE data_type = 'total'
UNION ALL
SELECT 'NESDC', province_code, year_be, CAST(round(population_thousand * 1000) AS BIGINT),
       NULL, NULL, NULL, source_ref, _file
FROM stg_gpp__nesdc
WHERE edition = 'nesdc-2024';

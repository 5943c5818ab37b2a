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
  -- Phra Nakhon (8) and Thonburi (9) were merged into Bangkok (10) in 1972; their 1966-1971 rows
  -- stay in the source file but have no area in today's boundaries, so they are not carried.
  AND trim(dopa_geocode) NOT IN ('8', '9')
UNION ALL
SELECT 'NESDC', province_code, year_be, CAST(round(population_thousand * 1000) AS BIGINT),
       NULL, NULL, NULL, source_ref, _file
FROM stg_gpp__nesdc
WHERE edition = 'nesdc-2024';

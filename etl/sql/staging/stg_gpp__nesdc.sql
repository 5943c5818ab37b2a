-- NESDC provincial GPP totals at current prices, two editions kept apart.
-- Years converted C.E. -> B.E. where the file is in C.E.; values exactly as in the file.
-- grain: one row per (province_code, year_be, edition)
CREATE TABLE stg_gpp__nesdc AS
SELECT trim(province_code) AS province_code,
       CAST(year AS INTEGER) + 543 AS year_be,
       CAST(gpp_current_million_baht AS DOUBLE) AS value_million_baht,
       CAST(population_thousand_nesdc AS DOUBLE) AS population_thousand,
       NULLIF(trim(revision_flag), '') AS revision_flag,
       'nesdc-2024' AS edition,
       'สศช. GPP-2024-On-Web-1995-2024.xlsx (ราคาประจำปี) ผ่าน NongIngTeerANaD/Project_Government_Budget' AS source_ref,
       _file, _row
FROM raw_nesdc_gpp_2024
UNION ALL
SELECT trim(province_code), CAST(year_be AS INTEGER),
       CAST(gpp_current_million_baht AS DOUBLE), NULL,
       CASE WHEN CAST(year_be AS INTEGER) = 2563 THEN 'p' END,   -- NESDC's provisional 2020, as in its sector table
       'nesdc-2013-2020',
       'สศช. gross_regional ฉบับก่อนหน้า (2556-2563) ผ่าน pnithida/6420422004_MiniProject gpp.csv',
       _file, _row
FROM raw_nesdc_gpp_old;

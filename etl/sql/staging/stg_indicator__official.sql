-- Official province-level indicators of every province (NESDC HAI, Ministry of Tourism and Sports,
-- BOI applications; read by etl/official.py), values exactly as published, years C.E. -> B.E.
-- grain: one row per (indicator_code, year_be, area_code)
CREATE TABLE stg_indicator__official AS
SELECT indicator_code, CAST(year AS INTEGER) + 543 AS year_be, province_code AS area_code,
       CAST(value AS DOUBLE) AS value, source_ref, _file, CAST(_row AS BIGINT) AS _row
FROM raw_official_indicator_values;

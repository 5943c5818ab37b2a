-- Boundaries as measured by geopandas at build time (equal-area km²).
-- grain: one row per (area_level, area_code)
CREATE TABLE stg_geo__area AS
SELECT area_level, area_code, parent_code, CAST(area_km2 AS DOUBLE) AS area_km2,
       geo_name_th, geo_name_en
FROM raw_geo_area;

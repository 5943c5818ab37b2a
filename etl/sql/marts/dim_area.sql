-- Every official area code with its names, parent, level and measured area.
-- grain: one row per area_code
CREATE TABLE dim_area AS
SELECT r.area_code, r.area_level, r.parent_code, r.province_code, r.name_th, r.name_en, r.region,
       g.area_km2, g.area_code IS NOT NULL AS has_shape
FROM stg_ref__area r
LEFT JOIN stg_geo__area g USING (area_level, area_code);

-- grain: one row per province_code
CREATE TABLE dim_province AS
SELECT area_code AS province_code, name_th, name_en, region, area_km2
FROM dim_area WHERE area_level = 'province';

-- grain: one row per district_code
CREATE TABLE dim_district AS
SELECT area_code AS district_code, province_code, name_th, name_en, area_km2
FROM dim_area WHERE area_level = 'district';

-- grain: one row per subdistrict_code
CREATE TABLE dim_subdistrict AS
SELECT area_code AS subdistrict_code, parent_code AS district_code, province_code, name_th, name_en,
       area_km2, has_shape
FROM dim_area WHERE area_level = 'subdistrict';

-- Display geometry (simplified, exterior rings clockwise for plotly).
-- grain: one row per (area_level, area_code)
CREATE TABLE geo_shape AS
SELECT area_level, area_code, geojson FROM raw_geo_shape;

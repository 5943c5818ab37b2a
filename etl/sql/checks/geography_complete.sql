-- Every province and district of the code tables has a display shape, and every shape a code.
SELECT area_level, area_code, 'no boundary' AS problem FROM dim_area
WHERE area_level IN ('province', 'district') AND NOT has_shape
UNION ALL
SELECT s.area_level, s.area_code, 'boundary with no official code'
FROM geo_shape s LEFT JOIN dim_area a ON a.area_code = s.area_code AND a.area_level = s.area_level
WHERE a.area_code IS NULL;

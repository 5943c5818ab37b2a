-- Display geometry of the provinces (simplified, clockwise exterior rings).
SELECT area_code AS province_code, geojson FROM geo_shape WHERE area_level = 'province'

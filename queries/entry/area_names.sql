-- The names of the province $province and its districts: the areas a round is approved for.
SELECT area_code, name_th, name_en
FROM dim_area
WHERE area_code = $province OR (length(area_code) = 4 AND area_code LIKE $province || '%')
ORDER BY area_code

-- Indicators with values at $level areas of $province: years present, unit, and the topic group
-- (dim_topic_group) the layer list groups them by.
SELECT i.indicator_code, i.name_th, i.name_en, i.unit, i.unit_en, list(DISTINCT v.year_be ORDER BY v.year_be) AS years,
       i.group_code, g.name_th AS group_th, g.name_en AS group_en
FROM dim_indicator i
JOIN fct_indicator_value v USING (indicator_code)
JOIN dim_area a ON a.area_code = v.area_code AND a.area_level = $level AND a.province_code = $province
LEFT JOIN dim_topic_group g USING (group_code)
GROUP BY ALL ORDER BY i.group_code NULLS LAST, i.indicator_code

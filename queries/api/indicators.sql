-- Open data: the provincial database's indicator catalogue with its topic group and the years that
-- have values. db.query keeps the open indicators (indicator_code). $indicator: one code or NULL.
SELECT i.indicator_code, i.group_code, g.name_th AS group_name_th, g.name_en AS group_name_en, i.name_th,
       i.name_en, i.unit, i.is_percent, i.direction, i.frequency, i.source_agency,
       min(v.year_be) AS first_year, max(v.year_be) AS latest_year, count(v.value) AS n_values,
       i.classification, i.provenance, i.source_ref
FROM dim_indicator i
LEFT JOIN dim_topic_group g USING (group_code)
LEFT JOIN fct_indicator_value v USING (indicator_code)
WHERE i.classification = 'open'
  AND ($indicator IS NULL OR i.indicator_code = $indicator)
GROUP BY ALL
ORDER BY i.indicator_code

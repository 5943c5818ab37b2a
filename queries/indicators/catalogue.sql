-- Topic groups with their indicators (an indicator's provenance and source say whether the
-- catalogue is verified).
SELECT g.group_code, g.name_th AS group_th, g.name_en AS group_en, g.domain, g.provenance AS group_provenance,
       g.source_ref AS group_source, i.indicator_code, i.name_th, i.name_en, i.unit, i.unit_en, i.source_agency,
       i.frequency, i.direction, i.provenance, i.source_ref
FROM dim_topic_group g LEFT JOIN dim_indicator i USING (group_code)
ORDER BY g.group_code, i.indicator_code

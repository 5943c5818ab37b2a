-- Open data: the KPI catalogue (passport fields). db.query keeps the open KPIs (kpi_code); a
-- parent that is not open is blanked, never shown. $kpi: one KPI code or NULL for all.
SELECT k.kpi_code,
       CASE WHEN p.classification = 'open' THEN k.parent_kpi_code END AS parent_kpi_code,
       k.name_th, k.name_en, k.definition_th, k.formula_th, k.unit, k.is_percent, k.direction,
       k.range_low, k.range_high, k.frequency, k.aggregation, k.indicator_type, k.importance_tier,
       k.owner_unit, k.data_source, k.verifier, k.data_users, k.classification, k.provenance, k.source_ref
FROM dim_kpi k LEFT JOIN dim_kpi p ON p.kpi_code = k.parent_kpi_code
WHERE k.classification = 'open'
  AND ($kpi IS NULL OR k.kpi_code = $kpi)
ORDER BY k.kpi_code

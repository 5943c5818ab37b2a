-- Every KPI's state at ($fy, $idx, $area): passport fields, status, score, pace, projection,
-- how many leading KPIs warn it, and its score the month before (same fiscal year). KPIs without a
-- point there come with status NULL.
WITH s AS (
    SELECT * FROM fct_kpi_status WHERE fiscal_year = $fy AND fiscal_idx = $idx AND area_code = $area
), p AS (
    SELECT * FROM fct_kpi_projection WHERE fiscal_year = $fy AND fiscal_idx = $idx AND area_code = $area
), w AS (
    SELECT kpi_code, month, count(*) AS n FROM fct_kpi_leading_warning
    WHERE fiscal_year = $fy AND area_code = $area GROUP BY ALL
), c AS (
    SELECT kpi_code FROM dim_kpi_criteria WHERE fiscal_year = $fy
), prev AS (
    SELECT kpi_code, score AS prev_score FROM fct_kpi_status
    WHERE fiscal_year = $fy AND fiscal_idx = $idx - 1 AND area_code = $area
)
SELECT k.kpi_code, k.parent_kpi_code, k.name_th, k.name_en, k.unit, k.unit_en, k.direction, k.frequency, k.aggregation,
       k.owner_unit, k.owner_unit_en, k.importance_tier, k.indicator_type, k.classification, k.is_percent, k.provenance,
       s.month, s.value_to_date, s.target_year, s.expected_to_date, s.pace, s.score, s.status, s.weight,
       s.expected_curve, s.n_reports,
       p.projected, p.projected_low, p.projected_high, p.projected_score, coalesce(p.projected_miss, false) AS projected_miss,
       coalesce(w.n, 0) AS leading_warnings,
       c.kpi_code IS NOT NULL AS has_criteria, prev.prev_score
FROM dim_kpi k
LEFT JOIN s ON s.kpi_code = k.kpi_code
LEFT JOIN p ON p.kpi_code = k.kpi_code
LEFT JOIN w ON w.kpi_code = k.kpi_code AND w.month = s.month
LEFT JOIN c ON c.kpi_code = k.kpi_code
LEFT JOIN prev ON prev.kpi_code = k.kpi_code
ORDER BY k.kpi_code

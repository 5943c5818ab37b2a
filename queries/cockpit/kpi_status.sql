-- Every KPI's state at ($fy, $idx, $area): passport fields, status, score, pace, projection,
-- and how many leading KPIs warn it. KPIs without a point there come with status NULL.
SELECT k.kpi_code, k.parent_kpi_code, k.name_th, k.name_en, k.unit, k.direction, k.frequency, k.aggregation,
       k.owner_unit, k.importance_tier, k.indicator_type, k.classification, k.is_percent, k.provenance,
       s.month, s.value_to_date, s.target_year, s.expected_to_date, s.pace, s.score, s.status, s.weight,
       s.expected_curve, s.n_reports,
       p.projected, p.projected_low, p.projected_high, p.projected_score, coalesce(p.projected_miss, false) AS projected_miss,
       (SELECT count(*) FROM fct_kpi_leading_warning w WHERE w.kpi_code = k.kpi_code AND w.fiscal_year = $fy
           AND w.month = s.month AND w.area_code = $area) AS leading_warnings,
       (SELECT count(*) FROM dim_kpi_criteria c WHERE c.kpi_code = k.kpi_code AND c.fiscal_year = $fy) > 0 AS has_criteria
FROM dim_kpi k
LEFT JOIN fct_kpi_status s ON s.kpi_code = k.kpi_code AND s.fiscal_year = $fy AND s.fiscal_idx = $idx
                          AND s.area_code = $area
LEFT JOIN fct_kpi_projection p ON p.kpi_code = k.kpi_code AND p.fiscal_year = $fy AND p.fiscal_idx = $idx
                              AND p.area_code = $area
ORDER BY k.kpi_code

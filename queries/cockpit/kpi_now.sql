-- One KPI's state at ($fy, $idx, $area) with its projection (no row when it has no point there).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, s.month, s.value_to_date, s.target_year, s.expected_to_date, s.expected_curve, s.pace, s.score, s.status,
       p.projected, p.projected_low, p.projected_high, coalesce(p.projected_miss, false) AS projected_miss
FROM fct_kpi_status s
LEFT JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code)
WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.fiscal_idx = $idx AND s.area_code = $area

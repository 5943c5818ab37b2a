-- One KPI's state at ($fy, $idx, $area) with its projection (no row when it has no point there),
-- as docs/RULES.md judges it: a late or awaiting point has no score and no projection, so it
-- carries the last month judged up to $idx (last_judged_*) and, for a province without a figure
-- of its own, how many of its districts reported (reported of reporters); at the round, an
-- early report of a later month (judged, not the round) comes as early_* (fct_kpi_judged's).
-- The projection is fct_kpi_projection's at this very point: the KPI page's tile, its month
-- chart's year-end marker and its year chart's current-year point all draw this one number.
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, s.fiscal_year, s.fiscal_idx, s.month, s.value_to_date, s.target_year, s.expected_to_date,
       s.expected_curve, s.pace, s.score, s.status, s.due_date, s.is_early, s.reporters, s.reported,
       p.projected, p.projected_low, p.projected_high, coalesce(p.projected_miss, false) AS projected_miss,
       s.last_judged_idx, s.last_judged_month, s.last_judged_score, s.last_judged_status,
       j.early_idx, j.early_month, j.early_value_to_date, j.early_score, j.early_status
FROM fct_kpi_status s
LEFT JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code)
LEFT JOIN fct_kpi_judged j ON j.kpi_code = s.kpi_code AND j.fiscal_year = s.fiscal_year AND j.area_code = s.area_code
                          AND j.fiscal_idx = s.fiscal_idx
WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.fiscal_idx = $idx AND s.area_code = $area

-- One KPI at $area in fiscal year $fy, month by month (every month that has ended): the month's
-- report, the value to date, expected progress, the point's state (docs/RULES.md section 1: a
-- late or awaiting month has no score and no projection; an early report is judged before its
-- due date), the "n of m districts" of a province made of its districts, and the projection made
-- at each month (the page draws the one made at the point it shows). round_idx: the year's round
-- (fct_kpi_round), after which the months are still open (awaiting, late or reported early).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, s.fiscal_year, s.fiscal_idx, s.month, s.period_date, s.due_date, s.value_month, s.value_to_date,
       s.expected_to_date, s.target_year, s.score, s.status, s.is_early, s.reporters, s.reported,
       p.projected, p.projected_low, p.projected_high, coalesce(p.projected_miss, false) AS projected_miss,
       r.round_idx
FROM fct_kpi_status s
LEFT JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code)
LEFT JOIN fct_kpi_round r USING (fiscal_year)
WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.area_code = $area
ORDER BY s.fiscal_idx

-- One KPI at $area in fiscal year $fy, month by month: the month's value, to date, expected,
-- status, and the projection made at each month.
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, s.fiscal_idx, s.month, s.period_date, s.value_month, s.value_to_date, s.expected_to_date, s.target_year,
       s.score, s.status, p.projected, p.projected_low, p.projected_high, p.projected_miss
FROM fct_kpi_status s
LEFT JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code)
WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.area_code = $area
ORDER BY s.fiscal_idx

-- One KPI at $area, every fiscal year at its round (fct_kpi_round, docs/RULES.md section 3): a past
-- year at its September (the year's value, finished when judged), the current year at the
-- province's round (incomplete: its value to date and its projection, never a finished year).
-- With the point's state, the projection made there (fct_kpi_projection: the very number the KPI
-- page's tile shows), the year's target and five criteria, and the KPI's direction and range (a
-- within-a-range KPI's criteria are distances outside the range).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT j.kpi_code, j.fiscal_year, j.fiscal_idx, j.month, j.value_to_date, j.target_year,
       j.c1, j.c2, j.c3, j.c4, j.c5, j.score, j.status, j.is_early, j.reporters, j.reported,
       j.projected, j.projected_low, j.projected_high, j.projected_miss,
       j.fiscal_idx = 12 AS complete,
       k.direction, k.range_low, k.range_high
FROM fct_kpi_judged j
JOIN dim_kpi k USING (kpi_code)
WHERE j.kpi_code = $kpi AND j.area_code = $area
ORDER BY j.fiscal_year

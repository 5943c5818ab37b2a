-- One KPI at $area, every fiscal year: the latest point of the year (year end when complete),
-- with the year's target and five criteria.
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, s.fiscal_year, s.fiscal_idx, s.month, s.value_to_date, s.value_year_scale, s.target_year,
       s.c1, s.c2, s.c3, s.c4, s.c5, s.score, s.status
FROM fct_kpi_status s
WHERE s.kpi_code = $kpi AND s.area_code = $area
QUALIFY s.fiscal_idx = max(s.fiscal_idx) OVER (PARTITION BY s.fiscal_year)
ORDER BY s.fiscal_year

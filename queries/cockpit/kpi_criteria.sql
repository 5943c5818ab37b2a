-- The five-level criteria of $kpi in $fy (none when the year has no criteria).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT kpi_code, t1, t2, t3, t4, t5, weight, red_below, green_from FROM dim_kpi_criteria
WHERE kpi_code = $kpi AND fiscal_year = $fy

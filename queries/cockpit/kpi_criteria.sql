-- The five-level criteria of $kpi in $fy (none when the year has no criteria).
SELECT t1, t2, t3, t4, t5, weight, red_below, green_from FROM dim_kpi_criteria
WHERE kpi_code = $kpi AND fiscal_year = $fy

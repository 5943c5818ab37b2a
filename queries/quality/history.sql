-- KPI data quality round by round (every unit together), oldest first: the RM 4.1 history.
SELECT fiscal_year, month, fiscal_index(month) AS fiscal_idx, required, present, coverage_pct, timeliness_pct,
       accuracy_pct, automated_pct, verified_pct, index_pct, band
FROM mart_quality WHERE database = 'kpi' AND owner_unit IS NULL AND month IS NOT NULL
ORDER BY fiscal_year, fiscal_idx

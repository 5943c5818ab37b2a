-- Fiscal years with KPI points, newest first, and the latest reported fiscal month of each at $area.
SELECT fiscal_year, max(fiscal_idx) FILTER (WHERE n_reports > 0) AS latest_idx, max(fiscal_idx) AS last_idx
FROM fct_kpi_status
WHERE area_code = $area
GROUP BY fiscal_year
ORDER BY fiscal_year DESC

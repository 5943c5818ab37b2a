-- Fiscal years with KPI points, newest first, the latest fiscal month of each with a report of its
-- own at $area (a month whose reports have not come yet is not the latest round: its figures to
-- date would be last month's), and the latest month that has ended.
SELECT fiscal_year, max(fiscal_idx) FILTER (WHERE value_month IS NOT NULL) AS latest_idx, max(fiscal_idx) AS last_idx
FROM fct_kpi_status
WHERE area_code = $area
GROUP BY fiscal_year
ORDER BY fiscal_year DESC

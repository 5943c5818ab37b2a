-- Fiscal years with KPI points at $area, newest first, with the province's round of each
-- (docs/RULES.md section 3: the latest month that is due, or whose reports have all come; one
-- district's early report does not move it) and, for a year with no round yet, the latest month
-- that has ended (its points are awaiting reports).
SELECT r.fiscal_year, r.round_idx AS latest_idx, coalesce(r.round_idx, r.last_ended_idx) AS last_idx
FROM fct_kpi_round r
WHERE r.fiscal_year IN (SELECT DISTINCT fiscal_year FROM fct_kpi_status WHERE area_code = $area)
ORDER BY r.fiscal_year DESC

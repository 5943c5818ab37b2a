-- The KPIs red at $area at fiscal year $fy, month $idx, lowest score first, at most $n of them
-- (web/viewcache.py warms their detail pages: what the governor drills into first).
SELECT kpi_code
FROM fct_kpi_status
WHERE area_code = $area AND fiscal_year = $fy AND fiscal_idx = $idx AND status = 'red'
ORDER BY score NULLS LAST, kpi_code
LIMIT $n

-- Fiscal years with a round and KPI values for $district, newest first.
SELECT DISTINCT j.fiscal_year FROM fct_kpi_judged j
WHERE j.area_code = $district AND j.n_reports > 0 ORDER BY 1 DESC

-- Fiscal years with KPI values for $district, newest first.
SELECT DISTINCT fiscal_year FROM fct_kpi_status WHERE area_code = $district AND n_reports > 0 ORDER BY 1 DESC

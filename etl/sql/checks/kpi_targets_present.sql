-- A KPI x fiscal year that has actuals has a target (any area) and five-level criteria.
SELECT DISTINCT a.kpi_code, a.fiscal_year, 'no target' AS problem
FROM fct_kpi_actual a
WHERE NOT EXISTS (SELECT 1 FROM fct_kpi_target t WHERE t.kpi_code = a.kpi_code AND t.fiscal_year = a.fiscal_year)
UNION ALL
SELECT DISTINCT a.kpi_code, a.fiscal_year, 'no five-level criteria'
FROM fct_kpi_actual a
WHERE NOT EXISTS (SELECT 1 FROM dim_kpi_criteria c WHERE c.kpi_code = a.kpi_code AND c.fiscal_year = a.fiscal_year);

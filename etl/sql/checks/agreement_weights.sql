-- Performance-agreement weights of a fiscal year sum to 100 %.
SELECT fiscal_year, sum(weight) AS total_weight
FROM dim_kpi_criteria WHERE weight IS NOT NULL
GROUP BY fiscal_year HAVING abs(sum(weight) - 100) > 1e-6;

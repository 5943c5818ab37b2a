-- What the scope rules (ops/scope.py, docs/RULES.md section 12) need of the catalogue: every KPI,
-- indicator and project with its owner unit, who reports its district figures and its
-- classification (the rules judge readability themselves: this query is read outside a request
-- too, by `etl load --as`); and each dataset's keeper unit under owner_col 'dataset'.
SELECT 'kpi_code' AS owner_col, kpi_code AS code, owner_unit, reported_by, classification FROM dim_kpi
UNION ALL
SELECT 'indicator_code', indicator_code, source_agency, reported_by, classification FROM dim_indicator
UNION ALL
SELECT 'project_code', node_code, owner_unit, 'province', 'open' FROM dim_strategy_node WHERE node_type = 'project'
UNION ALL
SELECT 'dataset', dataset, owner_unit, NULL, 'open' FROM dim_dataset_keeper
ORDER BY owner_col, code

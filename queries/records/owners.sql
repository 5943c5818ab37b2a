-- Who owns the code a row of a uniform template names (etl/records.py scope), and whether its
-- figures are percentages. KPIs come from entry/kpis (filtered by classification in db.query).
SELECT 'project_code' AS owner_col, node_code AS code, owner_unit, FALSE AS is_percent
FROM dim_strategy_node WHERE node_type = 'project'
UNION ALL
SELECT 'indicator_code', indicator_code, source_agency, coalesce(is_percent, FALSE)
FROM dim_indicator
ORDER BY owner_col, code

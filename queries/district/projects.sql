-- Projects located in $district (or one of its sub-districts).
SELECT n.node_code, n.name_th, n.name_en, n.budget_baht, n.owner_unit, s.status, s.actual_progress_pct,
       s.planned_progress_pct, n.provenance
FROM dim_strategy_node n
LEFT JOIN fct_project_status s ON s.project_code = n.node_code
     AND s.fiscal_idx = (SELECT max(fiscal_idx) FROM fct_project_status x WHERE x.project_code = n.node_code
                         AND x.status <> 'no_data')
WHERE n.node_type = 'project' AND (n.area_code = $district OR left(n.area_code, 4) = $district)
ORDER BY n.node_code

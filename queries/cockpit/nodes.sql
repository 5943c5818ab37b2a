-- The strategy hierarchy with each node's rolled-up score at ($fy, $idx, $area).
SELECT n.node_code, n.parent_code, n.node_type, n.name_th, n.name_en, n.owner_unit, n.budget_baht,
       s.score, s.status, s.children, s.children_scored
FROM dim_strategy_node n
LEFT JOIN fct_node_score s ON s.node_code = n.node_code AND s.fiscal_year = $fy AND s.fiscal_idx = $idx
                          AND s.area_code = $area
ORDER BY n.node_code

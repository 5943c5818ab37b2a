-- The strategic issues a fiscal year's KM plan must cover (IT7), with their provenance.
-- An issue without a fiscal year spans the plan's years.
SELECT node_code, name_th, name_en, provenance
FROM dim_strategy_node
WHERE node_type = 'issue' AND (fiscal_year IS NULL OR fiscal_year = $fy)
ORDER BY node_code

-- Which KPIs serve which plans and projects.
SELECT kpi_code, node_code, weight FROM bridge_kpi_node ORDER BY node_code, kpi_code

-- The KPIs reported for district $area (a district editor's list).
SELECT DISTINCT kpi_code FROM fct_kpi_actual WHERE area_code = $area

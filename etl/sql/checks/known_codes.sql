-- Every code a fact row uses is known to its dimension. Returns the offending rows.
SELECT 'fct_kpi_actual' AS table_name, _file AS file, _row AS row, 'kpi_code' AS column_name, kpi_code AS value
FROM fct_kpi_actual WHERE kpi_code NOT IN (SELECT kpi_code FROM dim_kpi)
UNION ALL SELECT 'fct_kpi_actual', _file, _row, 'area_code', area_code
FROM fct_kpi_actual WHERE area_code NOT IN (SELECT area_code FROM dim_area)
UNION ALL SELECT 'fct_kpi_target', _file, _row, 'kpi_code', kpi_code
FROM fct_kpi_target WHERE kpi_code NOT IN (SELECT kpi_code FROM dim_kpi)
UNION ALL SELECT 'fct_kpi_target', _file, _row, 'area_code', area_code
FROM fct_kpi_target WHERE area_code NOT IN (SELECT area_code FROM dim_area)
UNION ALL SELECT 'fct_project_month', _file, _row, 'project_code', project_code
FROM fct_project_month WHERE project_code NOT IN (SELECT node_code FROM dim_strategy_node WHERE node_type = 'project')
UNION ALL SELECT 'fct_indicator_value', _file, _row, 'indicator_code', indicator_code
FROM fct_indicator_value WHERE indicator_code NOT IN (SELECT indicator_code FROM dim_indicator)
UNION ALL SELECT 'fct_indicator_value', _file, _row, 'area_code', area_code
FROM fct_indicator_value WHERE area_code NOT IN (SELECT area_code FROM dim_area)
UNION ALL SELECT 'fct_gpp', _file, _row, 'province_code', province_code
FROM fct_gpp WHERE province_code NOT IN (SELECT province_code FROM dim_province)
UNION ALL SELECT 'fct_gpp', _file, _row, 'sector_code', classification || ':' || sector_code
FROM fct_gpp g WHERE NOT EXISTS (SELECT 1 FROM dim_gpp_sector s
                                 WHERE s.classification = g.classification AND s.sector_code = g.sector_code)
UNION ALL SELECT 'fct_disaster', _file, _row, 'district_code', district_code
FROM fct_disaster WHERE district_code NOT IN (SELECT district_code FROM dim_district)
UNION ALL SELECT 'fct_disaster', _file, _row, 'disaster_type', disaster_type
FROM fct_disaster WHERE disaster_type NOT IN (SELECT disaster_type FROM dim_disaster_type)
UNION ALL SELECT 'dim_strategy_node', NULL, NULL, 'parent_code', parent_code
FROM dim_strategy_node WHERE parent_code IS NOT NULL AND parent_code NOT IN (SELECT node_code FROM dim_strategy_node)
UNION ALL SELECT 'dim_kpi', NULL, NULL, 'parent_kpi_code', parent_kpi_code
FROM dim_kpi WHERE parent_kpi_code IS NOT NULL AND parent_kpi_code NOT IN (SELECT kpi_code FROM dim_kpi)
UNION ALL SELECT 'dim_area', NULL, NULL, 'parent_code', area_code
FROM dim_area WHERE parent_code IS NOT NULL AND parent_code NOT IN (SELECT area_code FROM dim_area)
UNION ALL SELECT 'fct_population', NULL, NULL, 'area_code', area_code
FROM fct_population WHERE area_code NOT IN (SELECT area_code FROM dim_area);

-- Every fact and dimension table is unique on its declared grain. Returns duplicated keys.
SELECT 'dim_area' AS table_name, area_code AS key, count(*) AS n FROM dim_area GROUP BY ALL HAVING n > 1
UNION ALL SELECT 'geo_shape', area_level || ':' || area_code, count(*) FROM geo_shape GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'dim_strategy_node', node_code, count(*) FROM dim_strategy_node GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'dim_kpi', kpi_code, count(*) FROM dim_kpi GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'dim_kpi_criteria', kpi_code || ':' || fiscal_year, count(*) FROM dim_kpi_criteria GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'bridge_kpi_node', kpi_code || ':' || node_code, count(*) FROM bridge_kpi_node GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_kpi_target', concat_ws(':', kpi_code, fiscal_year, coalesce(CAST(month AS VARCHAR), 'FY'), area_code), count(*)
          FROM fct_kpi_target GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_kpi_actual', concat_ws(':', kpi_code, fiscal_year, month, area_code), count(*)
          FROM fct_kpi_actual GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_project_month', concat_ws(':', project_code, fiscal_year, month), count(*)
          FROM fct_project_month GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'dim_indicator', indicator_code, count(*) FROM dim_indicator GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'dim_topic_group', group_code, count(*) FROM dim_topic_group GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_indicator_value', concat_ws(':', indicator_code, year_be, area_code), count(*)
          FROM fct_indicator_value GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'dim_gpp_sector', classification || ':' || sector_code, count(*) FROM dim_gpp_sector GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_gpp', concat_ws(':', province_code, year_be, classification, sector_code, price_basis, edition), count(*)
          FROM fct_gpp GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_population', concat_ws(':', source, area_code, year_be), count(*) FROM fct_population GROUP BY ALL HAVING count(*) > 1
UNION ALL SELECT 'fct_disaster', event_id || ':' || district_code, count(*) FROM fct_disaster GROUP BY ALL HAVING count(*) > 1;

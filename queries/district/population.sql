-- DOPA registered population of $district every year (31 December).
SELECT year_be, total, male, female, households, source_ref
FROM fct_population WHERE source = 'DOPA' AND area_code = $district ORDER BY year_be

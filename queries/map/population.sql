-- DOPA registered population of $level areas (of $province unless provinces) in $year (B.E.).
SELECT p.area_code, p.total AS value, p.provenance, p.source_ref
FROM fct_population p JOIN dim_area a USING (area_code)
WHERE p.source = 'DOPA' AND p.year_be = $year AND a.area_level = $level
  AND ($level = 'province' OR a.province_code = $province)

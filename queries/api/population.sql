-- Open data: DOPA registered population (31 December) of the province and its districts, as
-- published. $province; $year (B.E.), $area: NULL for all.
SELECT p.area_code, a.area_level, a.name_th AS area_name_th, a.name_en AS area_name_en, p.year_be,
       p.total, p.male, p.female, p.households, p.provenance, p.source_ref
FROM fct_population p
JOIN dim_area a ON a.area_code = p.area_code AND a.province_code = $province
WHERE p.source = 'DOPA' AND a.area_level IN ('province', 'district')
  AND ($year IS NULL OR p.year_be = $year) AND ($area IS NULL OR p.area_code = $area)
ORDER BY p.year_be, length(p.area_code), p.area_code

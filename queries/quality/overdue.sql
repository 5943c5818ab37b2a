-- Required KPI reports of fiscal year $fy in province $province (the province and its districts)
-- that are missing past their deadline, with who owns and who verifies them; oldest first.
SELECT c.kpi_code, k.name_th, k.name_en, c.area_code, a.name_th AS area_th, a.name_en AS area_en,
       c.fiscal_year, c.month, c.deadline, k.owner_unit, k.verifier,
       date_diff('day', c.deadline, (SELECT CAST(as_of AS DATE) FROM meta_snapshot)) AS days_late
FROM fct_quality_kpi_cell c JOIN dim_kpi k USING (kpi_code) LEFT JOIN dim_area a USING (area_code)
WHERE NOT c.present AND c.fiscal_year = $fy AND starts_with(c.area_code, $province)
ORDER BY c.deadline, c.kpi_code, c.area_code

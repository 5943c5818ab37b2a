-- Open data: every KPI's result per fiscal year and area (the province and its districts) at the
-- province's round of that year (fct_kpi_judged, docs/RULES.md section 3: the year end once the
-- year is complete; one district's early report does not move it): value to date, target, score
-- (1-5) and status. provenance: of the figures reported that year (sample / entered / official,
-- several joined by "; "). db.query keeps the open KPIs (kpi_code).
-- $province; $year (fiscal year B.E.), $area, $kpi: NULL for all.
WITH prov AS (
    SELECT kpi_code, fiscal_year, area_code, string_agg(DISTINCT provenance, '; ' ORDER BY provenance) AS provenance
    FROM fct_kpi_actual GROUP BY ALL
)
SELECT s.kpi_code, k.name_th, k.name_en, s.fiscal_year, s.month, s.period_date, s.area_code, a.area_level,
       a.name_th AS area_name_th, a.name_en AS area_name_en, k.unit, s.value_to_date, s.target_year, s.pace,
       s.score, s.status, s.n_reports, coalesce(p.provenance, k.provenance) AS provenance
FROM fct_kpi_judged s
JOIN dim_kpi k ON k.kpi_code = s.kpi_code
JOIN dim_area a ON a.area_code = s.area_code AND a.province_code = $province
LEFT JOIN prov p ON p.kpi_code = s.kpi_code AND p.fiscal_year = s.fiscal_year AND p.area_code = s.area_code
WHERE k.classification = 'open' AND s.n_reports > 0
  AND ($year IS NULL OR s.fiscal_year = $year) AND ($area IS NULL OR s.area_code = $area)
  AND ($kpi IS NULL OR s.kpi_code = $kpi)
ORDER BY s.kpi_code, s.fiscal_year, length(s.area_code), s.area_code

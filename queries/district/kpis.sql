-- KPIs of $district in fiscal year $fy at the province's round (fct_kpi_judged, docs/RULES.md
-- section 3), with the last round it was judged at when the round's point is late, and an early
-- report of a later month (judged, but not the round).
SELECT j.kpi_code, k.name_th, k.name_en, k.unit, k.unit_en, k.is_count, j.month, j.fiscal_idx, j.value_to_date, j.target_year, j.score,
       j.status, j.reporters, j.reported, j.due_date,
       j.last_judged_idx, j.last_judged_month, j.last_judged_score, j.last_judged_status,
       j.early_month, j.early_value_to_date, j.early_score, j.early_status, k.provenance
FROM fct_kpi_judged j JOIN dim_kpi k USING (kpi_code)
WHERE j.area_code = $district AND j.fiscal_year = $fy
ORDER BY CASE j.status WHEN 'red' THEN 0 WHEN 'late' THEN 1 WHEN 'yellow' THEN 2 WHEN 'green' THEN 3 ELSE 4 END,
         j.score NULLS LAST, j.kpi_code

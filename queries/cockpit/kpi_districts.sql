-- One KPI by district at ($fy, $idx) in province $province: each district's point at the view's
-- month (the province's round by default), with, when it has no score (late or awaiting), the
-- last month judged up to $idx (last_judged_*: fct_kpi_judged's at the round, docs/RULES.md
-- section 3), and a district's early report of a later month (early_*: fct_kpi_judged's, kept
-- beside the round: judged, but not the round).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, d.district_code, d.name_th, d.name_en, s.fiscal_idx, s.month, s.value_to_date, s.target_year,
       s.pace, s.score, s.status, s.is_early, s.due_date,
       s.last_judged_idx, s.last_judged_month, s.last_judged_score, s.last_judged_status,
       j.early_idx, j.early_month, j.early_value_to_date, j.early_score, j.early_status
FROM fct_kpi_status s
JOIN dim_district d ON d.district_code = s.area_code
LEFT JOIN fct_kpi_judged j ON j.kpi_code = s.kpi_code AND j.fiscal_year = s.fiscal_year AND j.area_code = s.area_code
                          AND j.fiscal_idx = s.fiscal_idx
WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.fiscal_idx = $idx AND d.province_code = $province
ORDER BY s.score NULLS FIRST, d.district_code

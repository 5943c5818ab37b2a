-- KPIs with values for $district in fiscal year $fy at the latest month it reported.
SELECT s.kpi_code, k.name_th, k.name_en, k.unit, s.month, s.value_to_date, s.target_year, s.score, s.status,
       k.provenance
FROM fct_kpi_status s JOIN dim_kpi k USING (kpi_code)
WHERE s.area_code = $district AND s.fiscal_year = $fy
QUALIFY s.fiscal_idx = max(s.fiscal_idx) OVER (PARTITION BY s.kpi_code)
ORDER BY CASE s.status WHEN 'red' THEN 0 WHEN 'late' THEN 1 WHEN 'yellow' THEN 2 WHEN 'green' THEN 3 ELSE 4 END,
         s.score NULLS LAST, s.kpi_code

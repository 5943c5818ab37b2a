-- One KPI by district at ($fy, $idx) in province $province.
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT s.kpi_code, d.district_code, d.name_th, d.name_en, s.value_to_date, s.target_year, s.pace, s.score, s.status
FROM fct_kpi_status s JOIN dim_district d ON d.district_code = s.area_code
WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.fiscal_idx = $idx AND d.province_code = $province
ORDER BY s.score NULLS FIRST, d.district_code

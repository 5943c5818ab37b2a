-- Every KPI's path through fiscal year $fy at $area, month by month up to month $idx (Oct = 1):
-- its value to date and the expected progress to date, for the overview's small trends (one
-- query for every row the page shows; the page keeps the KPIs it lists, and their provenance
-- comes with them from cockpit/kpi_status, as for cockpit/kpi_months).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT kpi_code, fiscal_idx, value_to_date, expected_to_date
FROM fct_kpi_status
WHERE fiscal_year = $fy AND area_code = $area AND fiscal_idx <= $idx
ORDER BY kpi_code, fiscal_idx

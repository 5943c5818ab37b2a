-- The areas $kpi is reported for: its districts when it has district figures (the province
-- figure is then their roll-up), else the province $province.
WITH own AS (SELECT DISTINCT area_code FROM fct_kpi_actual WHERE kpi_code = $kpi)
SELECT a.area_code, a.name_th, a.name_en
FROM dim_area a
WHERE a.area_code IN (SELECT area_code FROM own WHERE length(area_code) = 4)
   OR (a.area_code = $province AND NOT EXISTS (SELECT 1 FROM own WHERE length(area_code) = 4))
ORDER BY a.area_code

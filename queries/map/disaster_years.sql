-- Years (B.E.) with disaster events in $province.
SELECT DISTINCT year(e.start_date) + 543 AS year_be
FROM fct_disaster e JOIN dim_district d USING (district_code) WHERE d.province_code = $province ORDER BY 1

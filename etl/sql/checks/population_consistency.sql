-- DOPA: where a province's districts are present for a year, they sum to the province total.
WITH d AS (
    SELECT a.province_code, p.year_be, sum(p.total) AS districts
    FROM fct_population p JOIN dim_area a ON a.area_code = p.area_code AND a.area_level = 'district'
    WHERE p.source = 'DOPA' GROUP BY ALL
)
SELECT d.province_code, d.year_be, d.districts, p.total AS province_total
FROM d JOIN fct_population p ON p.source = 'DOPA' AND p.area_code = d.province_code AND p.year_be = d.year_be
WHERE d.districts <> p.total;

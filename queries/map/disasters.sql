-- Disaster events and damage by district of $province in calendar year $year (B.E. of the start date).
SELECT e.district_code AS area_code, count(*) AS events, sum(e.damage_baht) AS damage_baht,
       sum(e.households_affected) AS households, min(e.provenance) AS provenance
FROM fct_disaster e JOIN dim_district d USING (district_code)
WHERE d.province_code = $province AND year(e.start_date) + 543 = $year
GROUP BY ALL

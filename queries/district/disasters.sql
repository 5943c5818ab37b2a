-- Disaster events in $district, newest first.
SELECT e.event_id, e.disaster_type, t.name_th, t.name_en, e.start_date, e.end_date, e.damage_baht,
       e.households_affected, e.area_rai, e.provenance
FROM fct_disaster e LEFT JOIN dim_disaster_type t USING (disaster_type)
WHERE e.district_code = $district
ORDER BY e.start_date DESC

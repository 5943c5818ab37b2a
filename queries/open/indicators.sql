-- The provincial indicators with their latest year (db.py keeps the open ones on the portal).
SELECT i.indicator_code, i.name_th, i.name_en, i.unit, i.unit_en, i.source_agency, i.frequency, i.classification,
       i.provenance, max(v.year_be) AS latest_year
FROM dim_indicator i LEFT JOIN fct_indicator_value v USING (indicator_code)
GROUP BY ALL ORDER BY i.indicator_code

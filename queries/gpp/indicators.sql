-- The official province-level indicators (HAI, tourism, BOI) of $province in the latest year each
-- is published up to $last (a B.E. year), with its rank among the provinces and the medians of the
-- kingdom and its region (mart_indicator_province); the catalogue's names and units.
SELECT m.indicator_code, i.name_th, i.name_en, i.unit, i.unit_en, i.direction, m.year_be, m.value, m.rank, m.ranked,
       m.kingdom_median, m.region_median, m.provenance, m.source_ref
FROM mart_indicator_province m JOIN dim_indicator i USING (indicator_code)
WHERE m.province_code = $province AND m.year_be <= $last
QUALIFY m.year_be = max(m.year_be) OVER (PARTITION BY m.indicator_code)
ORDER BY i.group_code, m.indicator_code

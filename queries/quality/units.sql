-- Quality per owner unit for $database in year $fy (the whole year; $fy NULL: the three-year
-- window of the yearly databases).
SELECT * FROM mart_quality
WHERE database = $database AND fiscal_year IS NOT DISTINCT FROM $fy AND month IS NULL AND owner_unit IS NOT NULL
ORDER BY index_pct NULLS FIRST, owner_unit

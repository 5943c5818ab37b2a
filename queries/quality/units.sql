-- Quality per owner unit for $database in year $fy (the whole year).
SELECT * FROM mart_quality
WHERE database = $database AND fiscal_year = $fy AND month IS NULL AND owner_unit IS NOT NULL
ORDER BY index_pct NULLS FIRST, owner_unit

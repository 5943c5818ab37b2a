-- The province's NESDC GPP totals at current prices, exactly as published, per edition and year.
-- Grain: one row per edition, classification, year. $province: DOPA code.
SELECT edition, classification, year_be, value_million_baht, revision_flag, reference_year, source_ref
FROM fct_gpp
WHERE province_code = $province
  AND sector_code = 'TOTAL'
  AND price_basis = 'cp'
  AND provenance = 'official'
ORDER BY edition, classification, year_be

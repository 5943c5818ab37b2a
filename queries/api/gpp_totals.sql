-- Open data: the province's gross provincial product at current prices exactly as NESDC
-- published it (official rows only), per edition, classification and year.
-- $province; $year (B.E.), $edition: NULL for all.
SELECT g.province_code, p.name_th AS province_name_th, p.name_en AS province_name_en, g.edition,
       g.classification, g.year_be, g.price_basis, g.reference_year, g.value_million_baht, g.revision_flag,
       g.provenance, g.source_ref
FROM fct_gpp g JOIN dim_province p USING (province_code)
WHERE g.province_code = $province AND g.sector_code = 'TOTAL' AND g.provenance = 'official'
  AND ($year IS NULL OR g.year_be = $year) AND ($edition IS NULL OR g.edition = $edition)
ORDER BY g.edition, g.classification, g.year_be, g.price_basis

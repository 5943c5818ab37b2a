-- Open data: the province's GPP by sector (mart_gpp_sector): current-price value added and its
-- share, chain volume, contribution to real growth, each row with its provenance (NESDC's
-- sector table, official, for edition nesdc-2013-2020; an office's gpp_sector file for others).
-- $province; $year (B.E.), $edition: NULL for all.
SELECT province_code, edition, classification, year_be, sector_code, line_no, name_th, name_en, sector_group,
       va_cp, va_cvm, share_pct, contribution_pp, gpp_cp, published_total, revision_flag, provenance
FROM mart_gpp_sector
WHERE province_code = $province
  AND ($year IS NULL OR year_be = $year) AND ($edition IS NULL OR edition = $edition)
ORDER BY edition, classification, year_be, line_no

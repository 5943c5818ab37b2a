-- GPP by sector of $province (mart_gpp_sector): current-price value added and share, chain volume,
-- contribution to real growth, the share's rank among the provinces, the source line.
SELECT year_be, classification, edition, sector_code, line_no, name_th, name_en, sector_group, va_cp, va_cvm,
       share_pct, contribution_pp, gpp_cp, published_total, provenance, revision_flag, rank_share, ranked, source_ref
FROM mart_gpp_sector
WHERE province_code = $province
ORDER BY edition, year_be, line_no

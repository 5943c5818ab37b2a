-- GPP by sector of NESDC's region $region and the kingdom (mart_gpp_sector, official), to read a
-- province against them: current-price shares and contributions to real growth.
SELECT area_code, area_level, year_be, edition, sector_code, line_no, name_th, name_en, sector_group, va_cp,
       share_pct, contribution_pp, provenance, revision_flag, source_ref
FROM mart_gpp_sector
WHERE area_code IN ($region, 'TH')
ORDER BY area_code, edition, year_be, line_no

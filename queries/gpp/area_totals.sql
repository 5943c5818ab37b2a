-- GPP totals of NESDC's region $region and the kingdom (mart_gpp_area_total): levels, nominal and
-- real growth, implicit deflator.
SELECT area_code, area_level, name_th, name_en, year_be, edition, gpp_cp, gpp_cvm, revision_flag, deflator,
       nominal_growth_pct, real_growth_pct, source_ref
FROM mart_gpp_area_total
WHERE area_code IN ($region, 'TH')
ORDER BY area_code, edition, year_be

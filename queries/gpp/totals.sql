-- GPP totals of every province in every edition (mart_gpp_total): levels, growth, per capita, ranks.
SELECT province_code, name_th, name_en, region, year_be, classification, edition, gpp_cp, revision_flag,
       provenance, source_ref, gpp_cvm, reference_year, cvm_provenance, population, per_capita_baht, deflator,
       nominal_growth_pct, real_growth_pct, rank_gpp, provinces, rank_gpp_region, provinces_region,
       rank_per_capita, rank_per_capita_region
FROM mart_gpp_total
ORDER BY province_code, edition, year_be

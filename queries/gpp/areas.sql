-- NESDC's areas (dim_gpp_area): provinces with their NESDC region, the regions and the kingdom.
SELECT area_code, area_level, name_th, name_en, region_code
FROM dim_gpp_area WHERE area_level IN ('province', 'region', 'kingdom')
ORDER BY area_code

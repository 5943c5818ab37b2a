-- All provinces, for the pickers.
SELECT province_code, name_th, name_en, region FROM dim_province ORDER BY name_th

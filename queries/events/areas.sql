-- Names of the province and its districts, for the inbox.
SELECT area_code, name_th, name_en FROM dim_area WHERE area_level IN ('province', 'district')

-- The districts of $province, by code (web/viewcache.py warms each one's page).
SELECT district_code FROM dim_district WHERE province_code = $province ORDER BY district_code

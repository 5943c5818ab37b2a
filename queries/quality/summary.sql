-- Each database's quality for every unit together, by year (month NULL): newest year first.
SELECT * FROM mart_quality WHERE owner_unit IS NULL AND month IS NULL ORDER BY database, fiscal_year DESC

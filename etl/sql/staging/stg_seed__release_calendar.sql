-- The publishers' release calendars as data (data/seeds/release_calendar.csv, docs/RULES.md
-- section 7): year Y (B.E.) of a yearly official series is expected to be published by
-- release_day / release_month of the C.E. year Y - 543 + lag_years; item_code '*' = every item of
-- the dataset without a row of its own. The note says where each date comes from and which are
-- assumptions. A day that is no date (31 April) fails the build here.
-- grain: one row per (dataset, item_code)
CREATE TABLE stg_seed__release_calendar AS
SELECT trim(dataset) AS dataset, trim(item_code) AS item_code, trim(publisher_th) AS publisher_th,
       trim(publisher_en) AS publisher_en, NULLIF(trim(figures), '') AS figures,
       CAST(lag_years AS INTEGER) AS lag_years, CAST(release_month AS INTEGER) AS release_month,
       CAST(release_day AS INTEGER) AS release_day, NULLIF(trim(note), '') AS note
FROM raw_seed_release_calendar
WHERE make_date(2000, CAST(release_month AS INTEGER), CAST(release_day AS INTEGER)) IS NOT NULL;

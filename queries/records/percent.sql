-- The indicators whose figures are percentages (a value above 100 is refused on /entry/data, as
-- the KPIs' percentage units are: pages/entry_data.py). Who may enter a row is ops/scope.py's,
-- from entry/scope.
SELECT indicator_code AS code, coalesce(is_percent, FALSE) AS is_percent
FROM dim_indicator
ORDER BY code

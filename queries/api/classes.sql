-- Every KPI's and provincial indicator's code, names and classification, for api.py's own guard
-- (the belt to db.py's braces). Deliberately WITHOUT a kpi_code / indicator_code column, so that
-- db.query does not filter it: the API must also know the codes and names it may never show.
-- api.py never serialises this result. A missing classification counts as not open.
SELECT 'kpi' AS kind, kpi_code AS code, name_th, name_en, coalesce(classification, 'internal') AS class
FROM dim_kpi
UNION ALL
SELECT 'indicator', indicator_code, name_th, name_en, coalesce(classification, 'internal')
FROM dim_indicator
ORDER BY kind, code

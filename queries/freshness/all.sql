-- Freshness of every series a tile or chart shows (etl/sql/marts/quality.sql, fct_freshness):
-- (dataset, item_code) -> frequency, latest period, periods behind, current / due / overdue.
-- Pages filter the frame by dataset and item (components/freshness.py). No kpi_code column:
-- pages look up only the KPIs the reader may see (those db.query returned to them).
SELECT * FROM fct_freshness

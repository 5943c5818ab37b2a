-- Freshness of every series a tile or chart shows (etl/sql/marts/quality.sql, fct_freshness;
-- docs/RULES.md section 7): (dataset, item_code) -> frequency, latest period, periods behind,
-- current / due / overdue; a KPI's row is the province's, judged against the province's round
-- (round_year, round_month) with its reports late and awaited; a yearly official series' row has
-- the year its publisher's calendar expects by now and the next expected release.
-- Pages filter the frame by dataset and item (components/freshness.py). No kpi_code column:
-- pages look up only the KPIs the reader may see (those db.query returned to them).
SELECT * FROM fct_freshness

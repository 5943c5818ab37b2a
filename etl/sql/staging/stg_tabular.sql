-- The parsed uniform-template datasets (already typed by etl/parsing.py): default provenance,
-- and the calendar date each KPI / project month stands for (fiscal year B.E. + month).
-- grain: as declared in etl/datasets.py for each dataset
CREATE TABLE stg_kpi_actuals AS
SELECT * REPLACE (coalesce(provenance, 'entered') AS provenance),
       last_day(make_date(fiscal_year - 543 - CASE WHEN month >= 10 THEN 1 ELSE 0 END, month, 1)) AS period_date
FROM raw_kpi_actuals;

CREATE TABLE stg_kpi_targets AS
SELECT * REPLACE (coalesce(provenance, 'entered') AS provenance),
       CASE WHEN month IS NULL THEN make_date(fiscal_year - 543, 9, 30)
            ELSE last_day(make_date(fiscal_year - 543 - CASE WHEN month >= 10 THEN 1 ELSE 0 END, month, 1))
       END AS period_date
FROM raw_kpi_targets;

CREATE TABLE stg_project_plans AS
SELECT * REPLACE (coalesce(provenance, 'entered') AS provenance),
       last_day(make_date(fiscal_year - 543 - CASE WHEN month >= 10 THEN 1 ELSE 0 END, month, 1)) AS period_date
FROM raw_project_plans;

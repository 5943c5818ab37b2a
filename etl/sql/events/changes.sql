-- Warnings as events (IT5, docs/RULES.md section 6): what changed between the snapshot being served
-- (attached as prev) and the new one, for every KPI at the province and each district. A KPI's
-- state is its judged point at the province's round (fct_kpi_judged, is_current): its light,
-- whether it is projected to miss, whether a leading KPI warns it. A month's end with nothing new
-- changes no judged point (the round moves only when a month is due or wholly reported), so it
-- records nothing; on the day after a due date the round moves and the reports that did not come
-- are recorded as late. One row per change of state; its key (kind, KPI, area, fiscal year, month)
-- makes recording it idempotent: a rebuild of the same data changes nothing.
-- A value of the current fiscal year that the after-storing check newly flags (fct_quality_kpi_cell:
-- beyond 3 standard deviations of its KPI and area) is an event of its own month.
-- grain: event_key
WITH new_point AS (
    SELECT kpi_code, area_code, fiscal_year, month, status, projected_miss AS miss, warned
    FROM fct_kpi_judged WHERE is_current
),
old_point AS (
    SELECT kpi_code, area_code, status, projected_miss AS miss, warned
    FROM prev.fct_kpi_judged WHERE is_current
),
changed AS (
    SELECT n.*, o.status AS old_status, coalesce(o.miss, FALSE) AS old_miss, coalesce(o.warned, FALSE) AS old_warned
    FROM new_point n LEFT JOIN old_point o USING (kpi_code, area_code)
),
events AS (
    SELECT 'turned_red' AS kind, * FROM changed WHERE status = 'red' AND coalesce(old_status, '') <> 'red'
    UNION ALL
    SELECT 'recovered', * FROM changed WHERE old_status = 'red' AND status IN ('yellow', 'green')
    UNION ALL
    SELECT 'late', * FROM changed WHERE status = 'late' AND coalesce(old_status, '') <> 'late'
    UNION ALL
    SELECT 'projected_miss', * FROM changed WHERE miss AND NOT old_miss AND status <> 'red'
    UNION ALL
    SELECT 'leading_warning', * FROM changed WHERE warned AND NOT old_warned
),
flagged AS (
    SELECT 'flagged' AS kind, n.kpi_code, n.area_code, n.fiscal_year, n.month,
           CAST(NULL AS VARCHAR) AS old_status, 'flagged' AS status
    FROM fct_quality_kpi_cell n
    WHERE n.outlier AND n.fiscal_year = (SELECT max(fiscal_year) FROM fct_kpi_status)
      AND NOT EXISTS (SELECT 1 FROM prev.fct_quality_kpi_cell o
                      WHERE o.outlier AND o.kpi_code = n.kpi_code AND o.area_code = n.area_code
                        AND o.fiscal_year = n.fiscal_year AND o.month = n.month)
),
all_events AS (
    SELECT kind, kpi_code, area_code, fiscal_year, month, old_status, status FROM events
    UNION ALL
    SELECT * FROM flagged
)
SELECT kind || ':' || kpi_code || ':' || area_code || ':' || fiscal_year || ':' || month AS event_key,
       kind, kpi_code, area_code, CAST(fiscal_year AS INTEGER) AS fiscal_year, CAST(month AS INTEGER) AS month,
       old_status, status
FROM all_events
ORDER BY kind, kpi_code, area_code

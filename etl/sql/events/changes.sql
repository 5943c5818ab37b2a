-- Warnings as events (IT5): what changed between the snapshot being served (attached as prev)
-- and the new one, for every KPI at the province and each district. A KPI's state is its point at
-- the latest month that has ended in the current fiscal year: its light, whether it is projected
-- to miss, whether a leading KPI warns it. One row per change of state; its key (kind, KPI, area,
-- fiscal year, month) makes recording it idempotent: a rebuild of the same data changes nothing.
-- A value of the current fiscal year that the after-storing check newly flags (fct_quality_kpi_cell:
-- beyond 3 standard deviations of its KPI and area) is an event of its own month.
-- grain: event_key
WITH fy AS (SELECT max(fiscal_year) AS fy FROM fct_kpi_status),
new_point AS (
    SELECT s.kpi_code, s.area_code, s.fiscal_year, s.month, s.fiscal_idx, s.status,
           coalesce(p.projected_miss, FALSE) AS miss,
           EXISTS (SELECT 1 FROM fct_kpi_leading_warning w WHERE w.kpi_code = s.kpi_code
                   AND w.fiscal_year = s.fiscal_year AND w.month = s.month AND w.area_code = s.area_code) AS warned
    FROM fct_kpi_status s
    LEFT JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, month, area_code)
    WHERE s.fiscal_year = (SELECT fy FROM fy)
    QUALIFY s.fiscal_idx = max(s.fiscal_idx) OVER (PARTITION BY s.kpi_code, s.area_code)
),
old_point AS (
    SELECT s.kpi_code, s.area_code, s.status,
           coalesce(p.projected_miss, FALSE) AS miss,
           EXISTS (SELECT 1 FROM prev.fct_kpi_leading_warning w WHERE w.kpi_code = s.kpi_code
                   AND w.fiscal_year = s.fiscal_year AND w.month = s.month AND w.area_code = s.area_code) AS warned
    FROM prev.fct_kpi_status s
    LEFT JOIN prev.fct_kpi_projection p USING (kpi_code, fiscal_year, month, area_code)
    WHERE s.fiscal_year = (SELECT fy FROM fy)
    QUALIFY s.fiscal_idx = max(s.fiscal_idx) OVER (PARTITION BY s.kpi_code, s.area_code)
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
    WHERE n.outlier AND n.fiscal_year = (SELECT fy FROM fy)
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

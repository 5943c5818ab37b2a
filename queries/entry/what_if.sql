-- What a new month value would do, before it is stored: the light now and the light with $new
-- as the value of ($kpi, $fy, $month, $area), with the same rules and macros as fct_kpi_status
-- (the year to date re-aggregated with the new value), the previous period's value, and what the
-- plausibility ceiling is made of (ops/entry.py ceiling, docs/RULES-entry.md): the area's year
-- target (this fiscal year's, else its latest earlier one), the largest month value of the area's
-- other periods, and the rules entry_ceiling_multiple and entry_ceiling_hard.
WITH s AS (
    SELECT s.*, k.aggregation, k.direction, k.range_low, k.range_high,
           s.value_month IS NULL AS was_missing
    FROM fct_kpi_status s JOIN dim_kpi k USING (kpi_code)
    WHERE s.kpi_code = $kpi AND s.fiscal_year = $fy AND s.month = $month AND s.area_code = $area
),
n AS (
    SELECT s.*,
        CASE aggregation
            WHEN 'sum' THEN coalesce(value_to_date, 0) - coalesce(value_month, 0) + $new
            WHEN 'mean' THEN (coalesce(value_to_date * n_reports, 0) - coalesce(value_month, 0) + $new)
                             / (n_reports + CASE WHEN was_missing THEN 1 ELSE 0 END)
            ELSE $new END AS new_to_date
    FROM s
),
scored AS (
    SELECT n.*,
        CASE WHEN NOT (aggregation = 'sum' AND expected_share = 0) THEN       -- nothing planned yet: no score
            kpi_score(kpi_scored_value(direction,
                      CASE WHEN aggregation = 'sum' AND expected_share > 0 THEN new_to_date / expected_share
                           ELSE new_to_date END, range_low, range_high), c1, c2, c3, c4, c5) END AS new_score
    FROM n
),
prev AS (
    SELECT value AS prev_value, fiscal_year AS prev_fy, month AS prev_month
    FROM int_kpi_area_actual
    WHERE kpi_code = $kpi AND area_code = $area
      AND fiscal_year * 100 + fiscal_index(month) < $fy * 100 + fiscal_index($month)
    ORDER BY fiscal_year DESC, fiscal_index(month) DESC LIMIT 1
),
ceil AS (
    SELECT
        (SELECT max(target) FROM fct_kpi_target
          WHERE kpi_code = $kpi AND area_code = $area
            AND fiscal_year = (SELECT max(fiscal_year) FROM fct_kpi_target
                               WHERE kpi_code = $kpi AND area_code = $area AND fiscal_year <= $fy)) AS year_target,
        (SELECT max(value) FROM fct_kpi_actual
          WHERE kpi_code = $kpi AND area_code = $area
            AND NOT (fiscal_year = $fy AND month = $month)) AS history_max,
        (SELECT value FROM dim_rule WHERE rule = 'entry_ceiling_multiple') AS ceiling_multiple,
        (SELECT value FROM dim_rule WHERE rule = 'entry_ceiling_hard') AS ceiling_hard
)
SELECT s.value_month, s.status AS status_now, s.score AS score_now, s.new_to_date, s.new_score,
       CASE WHEN s.kpi_code IS NULL THEN NULL WHEN s.aggregation = 'sum' AND s.expected_share = 0 THEN 'not_due'
            WHEN s.c1 IS NULL THEN 'no_criteria' ELSE score_status(s.new_score, s.red_below, s.green_from) END
           AS status_new,
       p.prev_value, p.prev_fy, p.prev_month,
       c.year_target, c.history_max, c.ceiling_multiple, c.ceiling_hard
FROM (SELECT 1) one
LEFT JOIN scored s ON TRUE
LEFT JOIN prev p ON TRUE
LEFT JOIN ceil c ON TRUE

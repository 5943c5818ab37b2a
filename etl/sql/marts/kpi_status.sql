-- The cockpit's rules, once, for every KPI x fiscal year x fiscal month x area: the value to
-- date, expected progress, the five-level score, the status, the projected year-end, and the
-- leading-indicator warning. Pages only read fct_kpi_status; they never re-derive a light.
--
-- Rules (thresholds in data/seeds/cockpit_rules.csv, criteria in dim_kpi_criteria):
-- * Points: every fiscal month whose period has ended by the snapshot's as-of date, for every
--   fiscal year from a KPI's first target, criteria or result up to the current one.
-- * Areas: the province and every district that has a target or a result for the KPI that year.
--   A province without its own result is the sum of its districts (aggregation sum, or last for
--   counts) or their mean (mean, and percentages).
-- * Value to date: sum -> cumulative since October; mean -> mean of the reports; last -> the
--   latest report.
-- * Expected progress (sum KPIs): target x expected share of the year: the monthly plan when
--   cumulative monthly targets exist ('plan'), steps at reporting months for quarterly,
--   half-yearly and yearly KPIs ('stepped'), else months elapsed / 12 ('linear').
--   pace = value to date / expected to date.
-- * Score: kpi_score() (see _macros.sql) of the value at year scale: a sum KPI's value to date
--   divided by its expected share; mean and last as they are. District criteria are the
--   province criteria scaled by the district's target over the province's (not for ranges).
-- * Status: 'late' when the latest report due (period end + grace days before as-of) is
--   missing; else 'not_due' when no report has been due yet this year and none came, or a sum
--   KPI's plan expects nothing yet (its share to date is 0: a seasonal KPI before its season, a
--   quarterly one before its first quarter); such a point has no score, never red;
--   else 'no_data' when nothing was reported this year; else 'no_criteria' when the
--   year has no criteria; else red / yellow / green by the KPI's bands. Never red without data.
-- * Projection (current state, any month before September): sum KPIs: value to date / the
--   share of the year earlier years had reached by this month (their mean, range = mean +- one
--   standard deviation); without earlier years the expected share, range +-
--   projection_band_no_history x (1 - share). Mean/last KPIs: the value to date, range +- one
--   standard deviation of this year's reports. projected_miss: the projection scores below 3
--   (it misses the target) while the month is not the last.
-- * Leading warning: a lagging KPI is warned when one of its leading KPIs (bridge_kpi_leading)
--   is red, or its score fell by leading_drop_points or more since the previous month.

CREATE TABLE int_kpi_area_actual AS
WITH own AS (
    SELECT kpi_code, fiscal_year, month, area_code, value FROM fct_kpi_actual
), rolled AS (
    SELECT a.kpi_code, a.fiscal_year, a.month, d.province_code AS area_code,
           CASE WHEN k.aggregation = 'sum' OR (k.aggregation = 'last' AND NOT k.is_percent)
                THEN sum(a.value) ELSE avg(a.value) END AS value
    FROM fct_kpi_actual a
    JOIN dim_district d ON d.district_code = a.area_code
    JOIN dim_kpi k USING (kpi_code)
    GROUP BY a.kpi_code, a.fiscal_year, a.month, d.province_code, k.aggregation, k.is_percent
)
SELECT * FROM own
UNION ALL
SELECT r.* FROM rolled r
WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.kpi_code = r.kpi_code AND o.fiscal_year = r.fiscal_year
                  AND o.month = r.month AND o.area_code = r.area_code);

CREATE TABLE int_kpi_point AS
WITH snap AS (SELECT CAST(as_of AS DATE) AS as_of FROM raw_snapshot),
years AS (
    SELECT kpi_code, min(fiscal_year) AS first_fy FROM (
        SELECT kpi_code, fiscal_year FROM fct_kpi_target UNION ALL
        SELECT kpi_code, fiscal_year FROM dim_kpi_criteria UNION ALL
        SELECT kpi_code, fiscal_year FROM fct_kpi_actual) GROUP BY kpi_code
),
current_fy AS (
    SELECT CAST(year(as_of) + 543 + CASE WHEN month(as_of) >= 10 THEN 1 ELSE 0 END AS INTEGER) AS fy FROM snap
),
areas AS (
    SELECT DISTINCT kpi_code, fiscal_year, area_code FROM fct_kpi_target
    UNION SELECT DISTINCT kpi_code, fiscal_year, area_code FROM int_kpi_area_actual
),
grid AS (
    SELECT y.kpi_code, CAST(fy.fy AS INTEGER) AS fiscal_year, CAST(i.i AS INTEGER) AS fiscal_idx
    FROM years y, current_fy c,
         LATERAL range(y.first_fy, c.fy + 1) fy(fy),
         range(1, 13) i(i)
)
SELECT g.kpi_code, g.fiscal_year, CAST(fiscal_month(g.fiscal_idx) AS INTEGER) AS month, g.fiscal_idx,
       a.area_code, fiscal_period_end(g.fiscal_year, fiscal_month(g.fiscal_idx)) AS period_date
FROM grid g
JOIN areas a ON a.kpi_code = g.kpi_code AND a.fiscal_year = g.fiscal_year
WHERE fiscal_period_end(g.fiscal_year, fiscal_month(g.fiscal_idx)) < (SELECT as_of FROM snap);

CREATE TABLE fct_kpi_status AS
WITH rules AS (
    SELECT (SELECT CAST(as_of AS DATE) FROM raw_snapshot) AS as_of,
           (SELECT value FROM stg_seed__rule WHERE rule = 'report_grace_days') AS grace,
           (SELECT value FROM stg_seed__rule WHERE rule = 'projection_band_no_history') AS band
),
obs AS (
    SELECT p.*, k.frequency, k.aggregation, k.direction, k.range_low, k.range_high, k.is_percent,
           a.value,
           is_due(k.frequency, p.fiscal_idx) AS is_due_month,
           fiscal_period_end(p.fiscal_year, p.month) + CAST((SELECT grace FROM rules) AS INTEGER)
               < (SELECT as_of FROM rules) AS past_grace
    FROM int_kpi_point p
    JOIN dim_kpi k USING (kpi_code)
    LEFT JOIN int_kpi_area_actual a USING (kpi_code, fiscal_year, month, area_code)
),
running AS (
    SELECT *,
        sum(value) OVER w AS ytd_sum,
        avg(value) OVER w AS ytd_mean,
        last_value(value IGNORE NULLS) OVER w AS ytd_last,
        count(value) OVER w AS n_reports,
        stddev_samp(value) OVER w AS ytd_sd,
        -- the latest due month whose grace has passed, and whether it was reported
        max(CASE WHEN is_due_month AND past_grace THEN fiscal_idx END) OVER w AS last_due_idx,
        max(CASE WHEN is_due_month THEN fiscal_idx END) OVER w AS last_due_any,
        count(*) FILTER (WHERE is_due_month) OVER w AS due_so_far
    FROM obs
    WINDOW w AS (PARTITION BY kpi_code, fiscal_year, area_code ORDER BY fiscal_idx
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
targets AS (
    SELECT t.kpi_code, t.fiscal_year, t.area_code, t.target AS target_year
    FROM fct_kpi_target t WHERE t.month IS NULL
),
plan AS (
    SELECT kpi_code, fiscal_year, month, area_code, target AS target_to_date
    FROM fct_kpi_target WHERE month IS NOT NULL
),
prov AS (SELECT province_code FROM raw_snapshot),
scaled AS (
    SELECT r.*,
        CASE r.aggregation WHEN 'sum' THEN r.ytd_sum WHEN 'mean' THEN r.ytd_mean ELSE r.ytd_last END AS value_to_date,
        t.target_year,
        pl.target_to_date,
        CASE WHEN r.aggregation <> 'sum' THEN 1.0
             WHEN pl.target_to_date IS NOT NULL AND t.target_year <> 0 THEN pl.target_to_date / t.target_year
             WHEN r.frequency <> 'monthly' THEN r.due_so_far::DOUBLE / due_per_year(r.frequency)
             ELSE r.fiscal_idx / 12.0 END AS expected_share,
        CASE WHEN r.aggregation <> 'sum' THEN NULL
             WHEN pl.target_to_date IS NOT NULL THEN 'plan'
             WHEN r.frequency <> 'monthly' THEN 'stepped' ELSE 'linear' END AS expected_curve,
        c.t1, c.t2, c.t3, c.t4, c.t5, c.red_below, c.green_from, c.weight,
        CASE WHEN r.direction = 'range' OR r.area_code = (SELECT province_code FROM prov) THEN 1.0
             WHEN t.target_year IS NOT NULL AND tp.target_year IS NOT NULL AND tp.target_year <> 0
                  THEN t.target_year / tp.target_year
             ELSE 1.0 END AS criteria_scale
    FROM running r
    LEFT JOIN targets t USING (kpi_code, fiscal_year, area_code)
    LEFT JOIN targets tp ON tp.kpi_code = r.kpi_code AND tp.fiscal_year = r.fiscal_year
                        AND tp.area_code = (SELECT province_code FROM prov)
    LEFT JOIN plan pl USING (kpi_code, fiscal_year, month, area_code)
    LEFT JOIN dim_kpi_criteria c USING (kpi_code, fiscal_year)
),
scored AS (
    SELECT s.*,
        s.target_year * s.expected_share AS expected_to_date,
        CASE WHEN s.aggregation = 'sum' AND s.expected_share > 0 THEN s.value_to_date / s.expected_share
             ELSE s.value_to_date END AS value_year_scale,
        s.t1 * s.criteria_scale AS c1, s.t2 * s.criteria_scale AS c2, s.t3 * s.criteria_scale AS c3,
        s.t4 * s.criteria_scale AS c4, s.t5 * s.criteria_scale AS c5
    FROM scaled s
),
final AS (
    SELECT s.*,
        CASE WHEN NOT (s.aggregation = 'sum' AND s.expected_share = 0) THEN      -- nothing planned yet: no score
            kpi_score(kpi_scored_value(s.direction, s.value_year_scale, s.range_low, s.range_high),
                      s.c1, s.c2, s.c3, s.c4, s.c5) END AS score,
        s.last_due_idx IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM int_kpi_area_actual a
            WHERE a.kpi_code = s.kpi_code AND a.fiscal_year = s.fiscal_year AND a.area_code = s.area_code
              AND fiscal_index(a.month) = s.last_due_idx) AS is_late
    FROM scored s
)
SELECT kpi_code, fiscal_year, month, fiscal_idx, area_code, period_date,
       value AS value_month, value_to_date, n_reports,
       target_year, expected_curve, round(expected_share, 6) AS expected_share, expected_to_date,
       CASE WHEN expected_to_date > 0 THEN round(value_to_date / expected_to_date, 4) END AS pace,
       value_year_scale, c1, c2, c3, c4, c5, weight, red_below, green_from,
       score,
       CASE WHEN is_late THEN 'late'
            WHEN n_reports = 0 AND due_so_far = 0 THEN 'not_due'
            WHEN aggregation = 'sum' AND expected_share = 0 THEN 'not_due'
            WHEN n_reports = 0 THEN 'no_data'
            WHEN c1 IS NULL THEN 'no_criteria'
            ELSE score_status(score, red_below, green_from) END AS status,
       is_late, ytd_sd
FROM final
ORDER BY fiscal_year, fiscal_idx, area_code, kpi_code;    -- stored in the order pages read it

-- Projection of the fiscal-year-end value, with its range and the projected-to-miss flag.
CREATE TABLE int_kpi_share AS      -- share of the year reached by each month, in complete earlier years
WITH yearly AS (
    SELECT kpi_code, fiscal_year, area_code, max(value_to_date) FILTER (WHERE fiscal_idx = 12) AS year_total
    FROM fct_kpi_status GROUP BY ALL
)
SELECT s.kpi_code, s.area_code, s.fiscal_year, s.fiscal_idx, s.value_to_date / y.year_total AS share
FROM fct_kpi_status s JOIN yearly y USING (kpi_code, fiscal_year, area_code)
JOIN dim_kpi k USING (kpi_code)
WHERE k.aggregation = 'sum' AND y.year_total > 0 AND s.value_to_date IS NOT NULL;

CREATE TABLE fct_kpi_projection AS
WITH hist AS (
    SELECT s.kpi_code, s.fiscal_year, s.area_code, s.fiscal_idx,
           avg(h.share) AS share_mean, stddev_samp(h.share) AS share_sd, count(h.share) AS history_years
    FROM fct_kpi_status s
    JOIN int_kpi_share h ON h.kpi_code = s.kpi_code AND h.area_code = s.area_code
                        AND h.fiscal_idx = s.fiscal_idx AND h.fiscal_year < s.fiscal_year
    GROUP BY ALL
),
proj AS (
    SELECT s.kpi_code, s.fiscal_year, s.month, s.fiscal_idx, s.area_code, k.direction, k.range_low, k.range_high,
           CASE WHEN s.fiscal_idx = 12 OR s.value_to_date IS NULL THEN s.value_to_date
                WHEN k.aggregation = 'sum' AND h.history_years >= 1 AND h.share_mean > 0 THEN s.value_to_date / h.share_mean
                WHEN k.aggregation = 'sum' AND s.expected_share > 0 THEN s.value_to_date / s.expected_share
                WHEN k.aggregation = 'sum' THEN NULL           -- nothing planned yet, no history: no projection
                ELSE s.value_to_date END AS projected,
           CASE WHEN s.fiscal_idx = 12 OR s.value_to_date IS NULL THEN s.value_to_date
                WHEN k.aggregation = 'sum' AND h.history_years >= 2 AND h.share_mean + coalesce(h.share_sd, 0) > 0
                     THEN s.value_to_date / least(1.0, h.share_mean + coalesce(h.share_sd, 0))
                WHEN k.aggregation = 'sum' AND s.expected_share > 0
                     THEN s.value_to_date / s.expected_share * (1 - (SELECT value FROM stg_seed__rule
                          WHERE rule = 'projection_band_no_history') * (1 - s.expected_share))
                WHEN k.aggregation = 'sum' THEN NULL
                ELSE s.value_to_date - coalesce(s.ytd_sd, 0) END AS projected_low,
           CASE WHEN s.fiscal_idx = 12 OR s.value_to_date IS NULL THEN s.value_to_date
                WHEN k.aggregation = 'sum' AND h.history_years >= 2 AND h.share_mean - coalesce(h.share_sd, 0) > 0.02
                     THEN s.value_to_date / (h.share_mean - coalesce(h.share_sd, 0))
                WHEN k.aggregation = 'sum' AND s.expected_share > 0
                     THEN s.value_to_date / s.expected_share * (1 + (SELECT value FROM stg_seed__rule
                          WHERE rule = 'projection_band_no_history') * (1 - s.expected_share))
                WHEN k.aggregation = 'sum' THEN NULL
                ELSE s.value_to_date + coalesce(s.ytd_sd, 0) END AS projected_high,
           coalesce(h.history_years, 0) AS history_years,
           s.c1, s.c2, s.c3, s.c4, s.c5
    FROM fct_kpi_status s
    JOIN dim_kpi k USING (kpi_code)
    LEFT JOIN hist h USING (kpi_code, fiscal_year, area_code, fiscal_idx)
)
SELECT kpi_code, fiscal_year, month, fiscal_idx, area_code, projected, projected_low, projected_high,
       history_years,
       kpi_score(kpi_scored_value(direction, projected, range_low, range_high), c1, c2, c3, c4, c5) AS projected_score,
       fiscal_idx < 12 AND kpi_score(kpi_scored_value(direction, projected, range_low, range_high),
                                     c1, c2, c3, c4, c5) < 3 AS projected_miss
FROM proj
ORDER BY fiscal_year, fiscal_idx, area_code, kpi_code;

-- Leading -> lagging warnings. grain: (lagging kpi_code, fiscal_year, month, area_code, leading_kpi_code)
CREATE TABLE fct_kpi_leading_warning AS
WITH lead AS (
    SELECT s.kpi_code, s.fiscal_year, s.month, s.fiscal_idx, s.area_code, s.status, s.score,
           lag(s.score) OVER (PARTITION BY s.kpi_code, s.fiscal_year, s.area_code ORDER BY s.fiscal_idx) AS prev_score
    FROM fct_kpi_status s
    WHERE s.kpi_code IN (SELECT leading_kpi_code FROM bridge_kpi_leading)
)
SELECT b.lagging_kpi_code AS kpi_code, l.fiscal_year, l.month, l.area_code, b.leading_kpi_code,
       l.status AS leading_status, l.score AS leading_score, l.prev_score AS leading_prev_score,
       CASE WHEN l.status = 'red' THEN 'red'
            ELSE 'falling' END AS reason
FROM bridge_kpi_leading b
JOIN lead l ON l.kpi_code = b.leading_kpi_code
WHERE l.status = 'red'
   OR l.score <= l.prev_score - (SELECT value FROM stg_seed__rule WHERE rule = 'leading_drop_points');

-- The performance agreement's weighted score per fiscal year x month (province level).
CREATE TABLE fct_agreement_score AS
SELECT s.fiscal_year, s.month, s.fiscal_idx,
       -- exact decimal sums: the weighted mean never depends on the order rows are added in
           round(sum(CAST(s.weight * s.score AS DECIMAL(38, 12)))
                 / nullif(sum(CAST(s.weight AS DECIMAL(38, 12))) FILTER (WHERE s.score IS NOT NULL), 0), 4) AS score,
       sum(s.weight) AS total_weight,
       sum(s.weight) FILTER (WHERE s.score IS NOT NULL) AS scored_weight,
       count(*) AS kpis, count(s.score) AS kpis_scored
FROM fct_kpi_status s
WHERE s.weight IS NOT NULL AND s.area_code = (SELECT province_code FROM raw_snapshot)
GROUP BY ALL;

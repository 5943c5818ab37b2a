-- The cockpit's rules, once, for every KPI x fiscal year x fiscal month x area: the value to
-- date, expected progress, the five-level score, the state (judged, early, late, awaiting, not
-- due), the province's round, the projected year-end, the leading-indicator warning and the
-- judged point every screen reads. The rules are written in docs/RULES.md (sections 1-6) with
-- worked examples; tests/test_rules_reference.py re-computes them from that text. Pages only read
-- these tables; they never re-derive a light.

-- Incremental builds (docs/RULES.md section 13): every table below that is computed fiscal year by
-- fiscal year reads only the years from kpi_status_from() on; etl/build.py puts the earlier years'
-- rows, carried from the previous snapshot, before them. A full build: kpi_status_from() = 0.
CREATE OR REPLACE MACRO kpi_status_from() AS coalesce(getvariable('kpi_status_from'), 0);

-- Month values per area: a district's (or the province's own) report; for the province without a
-- figure of its own, its districts' reports put together (sum for sums and counts, else the mean)
-- with how many districts reported (districts_in). Whether that makes a whole is decided below.
CREATE TABLE int_kpi_area_actual AS
WITH own AS (
    SELECT kpi_code, fiscal_year, month, area_code, value FROM fct_kpi_actual WHERE fiscal_year >= kpi_status_from()
), rolled AS (
    SELECT a.kpi_code, a.fiscal_year, a.month, d.province_code AS area_code,
           -- the districts in code order: the same bits whatever else the build holds (RULES 13)
           CASE WHEN k.aggregation = 'sum' OR (k.aggregation = 'last' AND NOT k.is_percent)
                THEN sum(a.value ORDER BY a.area_code) ELSE avg(a.value ORDER BY a.area_code) END AS value,
           count(*) AS districts_in
    FROM fct_kpi_actual a
    JOIN dim_district d ON d.district_code = a.area_code
    JOIN dim_kpi k USING (kpi_code)
    WHERE a.fiscal_year >= kpi_status_from()
    GROUP BY a.kpi_code, a.fiscal_year, a.month, d.province_code, k.aggregation, k.is_percent
)
SELECT kpi_code, fiscal_year, month, area_code, value, CAST(NULL AS BIGINT) AS districts_in FROM own
UNION ALL
SELECT r.kpi_code, r.fiscal_year, r.month, r.area_code, r.value, r.districts_in FROM rolled r
WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.kpi_code = r.kpi_code AND o.fiscal_year = r.fiscal_year
                  AND o.month = r.month AND o.area_code = r.area_code);

-- Who must report a KPI in a year (RULES "reporters"): a province's districts with a target or a
-- report for it that year, else the province itself. grain: (kpi_code, fiscal_year, province_code);
-- districts = 0 when the province reports itself.
CREATE TABLE int_kpi_reporters AS
WITH d AS (
    SELECT t.kpi_code, t.fiscal_year, x.province_code, t.area_code FROM fct_kpi_target t
    JOIN dim_district x ON x.district_code = t.area_code WHERE t.fiscal_year >= kpi_status_from()
    UNION
    SELECT a.kpi_code, a.fiscal_year, x.province_code, a.area_code FROM fct_kpi_actual a
    JOIN dim_district x ON x.district_code = a.area_code WHERE a.fiscal_year >= kpi_status_from()
), y AS (
    SELECT kpi_code, fiscal_year, area_code AS province_code FROM fct_kpi_target
    WHERE area_code IN (SELECT province_code FROM dim_district) AND fiscal_year >= kpi_status_from() UNION
    SELECT kpi_code, fiscal_year, area_code FROM fct_kpi_actual
    WHERE area_code IN (SELECT province_code FROM dim_district) AND fiscal_year >= kpi_status_from() UNION
    SELECT kpi_code, fiscal_year, province_code FROM d
)
SELECT y.kpi_code, y.fiscal_year, y.province_code, count(d.area_code) AS districts
FROM y LEFT JOIN d USING (kpi_code, fiscal_year, province_code)
GROUP BY ALL;

-- Every ended month (period end before as-of), for every fiscal year from a KPI's first target,
-- criteria or report up to the current one, for the province and every district that has a target
-- or a report for the KPI that year.
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
areas AS (     -- the areas with a target or a report, and the province of every such district
    SELECT DISTINCT kpi_code, fiscal_year, area_code FROM fct_kpi_target WHERE fiscal_year >= kpi_status_from()
    UNION SELECT DISTINCT kpi_code, fiscal_year, area_code FROM int_kpi_area_actual
          WHERE fiscal_year >= kpi_status_from()
    UNION SELECT DISTINCT kpi_code, fiscal_year, province_code FROM int_kpi_reporters
          WHERE fiscal_year >= kpi_status_from()
),
grid AS (
    SELECT y.kpi_code, CAST(fy.fy AS INTEGER) AS fiscal_year, CAST(i.i AS INTEGER) AS fiscal_idx
    FROM years y, current_fy c,
         LATERAL range(greatest(y.first_fy, kpi_status_from()), c.fy + 1) fy(fy),
         range(1, 13) i(i)
)
SELECT g.kpi_code, g.fiscal_year, CAST(fiscal_month(g.fiscal_idx) AS INTEGER) AS month, g.fiscal_idx,
       a.area_code, fiscal_period_end(g.fiscal_year, fiscal_month(g.fiscal_idx)) AS period_date
FROM grid g
JOIN areas a ON a.kpi_code = g.kpi_code AND a.fiscal_year = g.fiscal_year
WHERE fiscal_period_end(g.fiscal_year, fiscal_month(g.fiscal_idx)) < (SELECT as_of FROM snap);

-- Each point's state (RULES section 1 and 2). j = the latest reporting month up to this one
-- (judged_idx); the point is judged when j's report came (for the province without its own
-- figure: every reporter's), late when it did not and j is due (period end + grace before as-of),
-- awaiting when it is not yet due; not due before the first reporting month or while a sum KPI's
-- plan expects nothing. Only judged points have a score. reporters / reported: the "n of m
-- districts" of month j.
CREATE TABLE fct_kpi_status AS
WITH rules AS (
    SELECT (SELECT CAST(as_of AS DATE) FROM raw_snapshot) AS as_of,
           (SELECT value FROM stg_seed__rule WHERE rule = 'report_grace_days') AS grace
),
prov AS (SELECT province_code FROM raw_snapshot),
obs AS (
    SELECT p.*, k.frequency, k.aggregation, k.direction, k.range_low, k.range_high, k.is_percent,
           a.value,
           is_due(k.frequency, p.fiscal_idx) AS is_rep_month,
           p.period_date + CAST((SELECT grace FROM rules) AS INTEGER) AS due_date,
           p.period_date + CAST((SELECT grace FROM rules) AS INTEGER) < (SELECT as_of FROM rules) AS month_due,
           p.area_code = (SELECT province_code FROM prov) OR length(p.area_code) = 2 AS is_province,
           coalesce(r.districts, 0) AS districts,
           -- reporters and reports of this month at this area
           CASE WHEN r.districts IS NULL OR r.districts = 0 THEN 1 ELSE r.districts END AS reporters,
           CASE WHEN a.value IS NULL THEN 0
                WHEN a.districts_in IS NULL THEN CASE WHEN r.districts IS NULL OR r.districts = 0 THEN 1
                                                      ELSE r.districts END
                ELSE a.districts_in END AS reported_month,
           -- the province counts with a report of its own, or when every district reported
           a.value IS NOT NULL AND (a.districts_in IS NULL OR a.districts_in >= coalesce(r.districts, 0)) AS whole
    FROM int_kpi_point p
    JOIN dim_kpi k USING (kpi_code)
    LEFT JOIN int_kpi_area_actual a USING (kpi_code, fiscal_year, month, area_code)
    LEFT JOIN int_kpi_reporters r ON r.kpi_code = p.kpi_code AND r.fiscal_year = p.fiscal_year
                                 AND r.province_code = p.area_code      -- districts: no row (one reporter)
    WHERE p.fiscal_year >= kpi_status_from()
),
windowed AS (
    SELECT *,
        -- the year's values so far, in month order: their sum, mean and spread are taken from the
        -- list (list_sum, ...), one value after another, never from the window's own partial sums,
        -- whose order follows how the build's rows happen to be laid out (RULES section 13)
        list(value) OVER w AS ytd_values,
        last_value(value IGNORE NULLS) OVER w AS ytd_last,
        count(value) OVER w AS n_reports,
        max(CASE WHEN is_rep_month THEN fiscal_idx END) OVER w AS judged_idx,
        last_value(CASE WHEN is_rep_month THEN whole END IGNORE NULLS) OVER w AS j_whole,
        last_value(CASE WHEN is_rep_month THEN month_due END IGNORE NULLS) OVER w AS j_due,
        last_value(CASE WHEN is_rep_month THEN reported_month END IGNORE NULLS) OVER w AS j_reported,
        count(*) FILTER (WHERE is_rep_month) OVER w AS due_so_far
    FROM obs
    WINDOW w AS (PARTITION BY kpi_code, fiscal_year, area_code ORDER BY fiscal_idx
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
running AS (
    SELECT * EXCLUDE (ytd_values),
        list_sum(ytd_values) AS ytd_sum, list_avg(ytd_values) AS ytd_mean, list_stddev_samp(ytd_values) AS ytd_sd
    FROM windowed
),
targets AS (
    SELECT t.kpi_code, t.fiscal_year, t.area_code, t.target AS target_year
    FROM fct_kpi_target t WHERE t.month IS NULL
),
plan AS (
    SELECT kpi_code, fiscal_year, month, area_code, target AS target_to_date
    FROM fct_kpi_target WHERE month IS NOT NULL
),
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
        CASE WHEN r.direction = 'range' OR r.is_province THEN 1.0
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
stated AS (
    SELECT s.*,
        s.target_year * s.expected_share AS expected_to_date,
        CASE WHEN s.aggregation = 'sum' AND s.expected_share > 0 THEN s.value_to_date / s.expected_share
             ELSE s.value_to_date END AS value_year_scale,
        s.t1 * s.criteria_scale AS c1, s.t2 * s.criteria_scale AS c2, s.t3 * s.criteria_scale AS c3,
        s.t4 * s.criteria_scale AS c4, s.t5 * s.criteria_scale AS c5,
        CASE WHEN s.judged_idx IS NULL THEN 'not_due'
             WHEN s.aggregation = 'sum' AND s.expected_share = 0 THEN 'not_due'
             WHEN s.j_whole THEN 'judged'
             WHEN s.j_due THEN 'late'
             ELSE 'awaiting' END AS state
    FROM scaled s
),
scored AS (
    SELECT s.*,
        CASE WHEN s.state = 'judged' THEN
            kpi_score(kpi_scored_value(s.direction, s.value_year_scale, s.range_low, s.range_high),
                      s.c1, s.c2, s.c3, s.c4, s.c5) END AS score
    FROM stated s
),
final AS (
    SELECT s.*,
        CASE WHEN s.state <> 'judged' THEN s.state
             WHEN s.c1 IS NULL THEN 'no_criteria'
             ELSE score_status(s.score, s.red_below, s.green_from) END AS status
    FROM scored s
),
lastj AS (   -- the latest judged point up to this one (what a late or awaiting point shows)
    SELECT f.*,
        max(CASE WHEN state = 'judged' THEN fiscal_idx END) OVER w AS last_judged_idx,
        last_value(CASE WHEN state = 'judged' THEN score END IGNORE NULLS) OVER w AS lj_score,
        last_value(CASE WHEN state = 'judged' THEN status END IGNORE NULLS) OVER w AS lj_status
    FROM final f
    WINDOW w AS (PARTITION BY kpi_code, fiscal_year, area_code ORDER BY fiscal_idx
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT kpi_code, fiscal_year, month, fiscal_idx, area_code, period_date,
       value AS value_month, value_to_date, n_reports,
       target_year, expected_curve, expected_share, expected_to_date,
       CASE WHEN expected_to_date > 0 THEN round4(value_to_date / expected_to_date) END AS pace,
       value_year_scale, c1, c2, c3, c4, c5, weight, red_below, green_from,
       score, status,
       state = 'late' AS is_late, ytd_sd,
       CAST(judged_idx AS INTEGER) AS judged_idx,
       fiscal_period_end(fiscal_year, fiscal_month(coalesce(judged_idx, fiscal_idx)))
           + CAST((SELECT grace FROM rules) AS INTEGER) AS due_date,
       state = 'judged' AND NOT j_due AS is_early,
       CAST(reporters AS INTEGER) AS reporters,
       CAST(CASE WHEN judged_idx IS NULL THEN 0 ELSE coalesce(j_reported, 0) END AS INTEGER) AS reported,
       is_rep_month AND (NOT is_province OR districts = 0) AS expects_report,
       CAST(last_judged_idx AS INTEGER) AS last_judged_idx,
       CAST(fiscal_month(last_judged_idx) AS INTEGER) AS last_judged_month,
       -- the score at the last judged point (a judged point without criteria has none)
       CASE WHEN lj_status = 'no_criteria' THEN NULL ELSE lj_score END AS last_judged_score,
       lj_status AS last_judged_status
FROM lastj
ORDER BY fiscal_year, fiscal_idx, area_code, kpi_code;    -- stored in the order pages read it

-- The province's round per fiscal year (RULES section 3): the latest ended month that is due, or
-- whose expected reports (every reporter of every KPI reporting that month) have all come. With
-- the round: its reports expected, in and late, and the early reports and awaited ones after it.
CREATE TABLE fct_kpi_round AS
WITH m AS (
    SELECT fiscal_year, fiscal_idx, any_value(month) AS month,
           bool_and(period_date + CAST((SELECT value FROM stg_seed__rule WHERE rule = 'report_grace_days') AS INTEGER)
                    < (SELECT CAST(as_of AS DATE) FROM raw_snapshot)) AS due,
           count(*) FILTER (WHERE expects_report) AS expected,
           count(*) FILTER (WHERE expects_report AND value_month IS NOT NULL) AS reported
    FROM fct_kpi_status GROUP BY fiscal_year, fiscal_idx
),
r AS (
    SELECT fiscal_year, max(fiscal_idx) FILTER (WHERE due OR reported >= expected) AS round_idx,
           max(fiscal_idx) AS last_ended_idx
    FROM m GROUP BY fiscal_year
)
SELECT r.fiscal_year, CAST(r.round_idx AS INTEGER) AS round_idx,
       CAST(fiscal_month(r.round_idx) AS INTEGER) AS round_month, CAST(r.last_ended_idx AS INTEGER) AS last_ended_idx,
       CAST(m.expected AS INTEGER) AS reports_expected, CAST(m.reported AS INTEGER) AS reports_in,
       CAST(CASE WHEN m.due THEN m.expected - m.reported ELSE 0 END AS INTEGER) AS reports_late,
       CAST(coalesce((SELECT sum(a.expected - a.reported) FROM m a WHERE a.fiscal_year = r.fiscal_year
                      AND a.fiscal_idx > coalesce(r.round_idx, 0) AND NOT a.due), 0) AS INTEGER) AS reports_awaited,
       CAST(coalesce((SELECT sum(a.reported) FROM m a WHERE a.fiscal_year = r.fiscal_year
                      AND a.fiscal_idx > coalesce(r.round_idx, 0)), 0) AS INTEGER) AS reports_early,
       r.fiscal_year = (SELECT max(fiscal_year) FROM r x WHERE x.round_idx IS NOT NULL) AS is_current
FROM r LEFT JOIN m ON m.fiscal_year = r.fiscal_year AND m.fiscal_idx = r.round_idx
ORDER BY r.fiscal_year;

-- Projection of the fiscal-year-end value (RULES section 5), for judged points only: one centre P
-- and a range centred on it, low <= P <= high; in September the year's value.
CREATE TABLE int_kpi_share AS      -- share of the year reached by each month, in complete earlier years
WITH yearly AS (
    SELECT kpi_code, fiscal_year, area_code, max(value_to_date) FILTER (WHERE fiscal_idx = 12) AS year_total
    FROM fct_kpi_status WHERE fiscal_year >= kpi_status_from() GROUP BY ALL
)
SELECT s.kpi_code, s.area_code, s.fiscal_year, s.fiscal_idx, s.value_to_date / y.year_total AS share
FROM fct_kpi_status s JOIN yearly y USING (kpi_code, fiscal_year, area_code)
JOIN dim_kpi k USING (kpi_code)
WHERE k.aggregation = 'sum' AND y.year_total > 0 AND s.value_to_date IS NOT NULL
  AND s.fiscal_year >= kpi_status_from();

CREATE TABLE fct_kpi_projection AS
WITH hist AS (   -- the shares of the earlier years (the carried ones too), each group's taken in year
                 -- order: the same bits at every build, full or not, whatever else the build holds
    SELECT s.kpi_code, s.fiscal_year, s.area_code, s.fiscal_idx,
           avg(h.share ORDER BY h.fiscal_year) AS share_mean,
           stddev_samp(h.share ORDER BY h.fiscal_year) AS share_sd, count(h.share) AS history_years
    FROM fct_kpi_status s
    JOIN int_kpi_share h ON h.kpi_code = s.kpi_code AND h.area_code = s.area_code
                        AND h.fiscal_idx = s.fiscal_idx AND h.fiscal_year < s.fiscal_year
    WHERE s.fiscal_year >= kpi_status_from()
    GROUP BY ALL
),
centre AS (
    SELECT s.kpi_code, s.fiscal_year, s.month, s.fiscal_idx, s.area_code, k.direction, k.range_low, k.range_high,
           k.aggregation, s.value_to_date, s.ytd_sd, s.red_below,
           s.status NOT IN ('late', 'awaiting', 'not_due') AS judged,
           CASE WHEN k.aggregation <> 'sum' THEN NULL
                WHEN h.history_years >= 1 AND h.share_mean > 0 THEN h.share_mean
                WHEN s.expected_share > 0 THEN s.expected_share END AS share,
           CASE WHEN k.aggregation = 'sum' AND h.history_years >= 2 AND h.share_mean > 0
                THEN coalesce(h.share_sd, 0) / h.share_mean END AS rel_history,
           coalesce(h.history_years, 0) AS history_years,
           s.c1, s.c2, s.c3, s.c4, s.c5
    FROM fct_kpi_status s
    JOIN dim_kpi k USING (kpi_code)
    LEFT JOIN hist h USING (kpi_code, fiscal_year, area_code, fiscal_idx)
    WHERE s.fiscal_year >= kpi_status_from()
),
proj AS (
    SELECT c.*,
           CASE WHEN NOT c.judged OR c.value_to_date IS NULL THEN NULL
                WHEN c.fiscal_idx = 12 THEN c.value_to_date
                WHEN c.aggregation = 'sum' THEN c.value_to_date / c.share
                ELSE c.value_to_date END AS projected,
           CASE WHEN NOT c.judged OR c.value_to_date IS NULL THEN NULL
                WHEN c.fiscal_idx = 12 THEN 0.0
                WHEN c.aggregation = 'sum' THEN abs(c.value_to_date / c.share)
                     * coalesce(c.rel_history, (SELECT value FROM stg_seed__rule
                                                WHERE rule = 'projection_band_no_history') * (1 - c.share))
                ELSE coalesce(c.ytd_sd, 0.0) END AS half_width
    FROM centre c
)
SELECT kpi_code, fiscal_year, month, fiscal_idx, area_code, projected,
       projected - half_width AS projected_low, projected + half_width AS projected_high,
       history_years,
       kpi_score(kpi_scored_value(direction, projected, range_low, range_high), c1, c2, c3, c4, c5) AS projected_score,
       coalesce(fiscal_idx < 12 AND kpi_score(kpi_scored_value(direction, projected, range_low, range_high),
                                              c1, c2, c3, c4, c5) < coalesce(red_below, 3), FALSE) AS projected_miss
FROM proj
ORDER BY fiscal_year, fiscal_idx, area_code, kpi_code;

-- Leading -> lagging warnings. grain: (lagging kpi_code, fiscal_year, month, area_code, leading_kpi_code)
CREATE TABLE fct_kpi_leading_warning AS
WITH lead AS (
    SELECT s.kpi_code, s.fiscal_year, s.month, s.fiscal_idx, s.area_code, s.status, s.score,
           lag(s.score) OVER (PARTITION BY s.kpi_code, s.fiscal_year, s.area_code ORDER BY s.fiscal_idx) AS prev_score
    FROM fct_kpi_status s
    WHERE s.kpi_code IN (SELECT leading_kpi_code FROM bridge_kpi_leading) AND s.fiscal_year >= kpi_status_from()
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
       -- exact decimal sums (the mean never depends on the order rows are added in), half up
       round4(sum(CAST(s.weight AS DECIMAL(38, 12)) * CAST(s.score AS DECIMAL(38, 12)))
              / nullif(sum(CAST(s.weight AS DECIMAL(38, 12))) FILTER (WHERE s.score IS NOT NULL), 0)) AS score,
       sum(s.weight) AS total_weight,
       sum(s.weight) FILTER (WHERE s.score IS NOT NULL) AS scored_weight,
       count(*) AS kpis, count(s.score) AS kpis_scored
FROM fct_kpi_status s
WHERE s.weight IS NOT NULL AND s.area_code = (SELECT province_code FROM raw_snapshot)
  AND s.fiscal_year >= kpi_status_from()
GROUP BY ALL;


-- The judged point of every KPI x area in every fiscal year: its point at the province's round
-- (RULES section 3), with the projection, whether a leading KPI warns it, the last round at which
-- it was judged (when the round's point is late), and a district's early report of a later month.
-- Every screen of "now", the open API, the events and the messages read this one table.
-- grain: (kpi_code, fiscal_year, area_code); is_current marks the round the screens open on.
CREATE TABLE fct_kpi_judged AS
WITH r AS (SELECT fiscal_year AS rfy, round_idx, is_current FROM fct_kpi_round WHERE round_idx IS NOT NULL),
early AS (
    SELECT s.kpi_code, s.fiscal_year, s.area_code, s.fiscal_idx, s.month, s.value_to_date, s.score, s.status
    FROM fct_kpi_status s JOIN r ON r.rfy = s.fiscal_year AND s.fiscal_idx > r.round_idx
    WHERE s.is_early
    QUALIFY s.fiscal_idx = max(s.fiscal_idx) OVER (PARTITION BY s.kpi_code, s.fiscal_year, s.area_code)
)
SELECT s.kpi_code, s.fiscal_year, s.area_code, s.fiscal_idx, s.month, s.period_date, s.due_date,
       s.value_to_date, s.target_year, s.expected_to_date, s.pace, s.score, s.status, s.n_reports,
       s.reporters, s.reported, s.is_early, s.c1, s.c2, s.c3, s.c4, s.c5,
       p.projected, p.projected_low, p.projected_high, p.projected_score, coalesce(p.projected_miss, FALSE) AS projected_miss,
       EXISTS (SELECT 1 FROM fct_kpi_leading_warning w WHERE w.kpi_code = s.kpi_code AND w.fiscal_year = s.fiscal_year
               AND w.month = s.month AND w.area_code = s.area_code) AS warned,
       s.last_judged_idx, s.last_judged_month, s.last_judged_score, s.last_judged_status,
       e.fiscal_idx AS early_idx, e.month AS early_month, e.value_to_date AS early_value_to_date,
       e.score AS early_score, e.status AS early_status,
       r.is_current
FROM fct_kpi_status s
JOIN r ON r.rfy = s.fiscal_year AND r.round_idx = s.fiscal_idx
LEFT JOIN fct_kpi_projection p USING (kpi_code, fiscal_year, fiscal_idx, area_code)
LEFT JOIN early e USING (kpi_code, fiscal_year, area_code)
ORDER BY s.fiscal_year, s.area_code, s.kpi_code;

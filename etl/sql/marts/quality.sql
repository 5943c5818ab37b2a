-- Data quality (RM 4.1): covering, correct, current (ครอบคลุม ถูกต้อง ทันสมัย) as percentages, per
-- database, owner unit and reporting round, and the freshness of every KPI, indicator and GPP
-- series. Definitions (shared/docs/DOMAIN.md §7), judged as of the snapshot's as-of date:
--
-- KPIs (IT1). A *required cell* is a KPI x area with a target that fiscal year x a month its
--   frequency makes due (is_due) whose report deadline (period end + report_grace_days) has
--   passed. The province is not required separately when the KPI's districts report that year
--   (its figure is their roll-up). Fiscal years: the current one and three back.
--   * coverage   = cells with a value / required
--   * timeliness = cells with a value reported by the deadline / required (a value without a
--                  report date counts as on time: files do not always carry one)
--   * accuracy   = the mean of two shares of the values present: *automated* (passes the
--                  after-storing check: within 3 standard deviations of the same KPI and area's
--                  other values, when there are at least 12) and *verified* (official figures,
--                  and figures entered on the web, which pass a named verifier and an approver;
--                  sample rows are not verified)
--   * passport   = KPIs with data source, frequency, verifier, data users and owner unit filled
-- Indicators (IT2): indicator x district x each of the three years before the as-of year;
--   coverage = present / required, timeliness = present for the latest of those years,
--   accuracy = verified share (official or entered) as above, automated = 100 (the build
--   refuses values that fail their rules).
-- GPP (IT3): the province's ISIC4 sectors x {cp, cvm} x each of the three years NESDC has
--   published up to as-of year - 2 (its usual lag); as for indicators.
-- The index is the mean of coverage, accuracy and timeliness (of the two others when nothing is
-- present to judge accuracy by); band = pct_band (60-100 % -> 1-5).

-- grain: one row per required KPI cell (kpi_code, area_code, fiscal_year, month)
CREATE TABLE fct_quality_kpi_cell AS
WITH snap AS (SELECT CAST(as_of AS DATE) AS as_of,
                     CAST(year(CAST(as_of AS DATE)) + 543 + CASE WHEN month(CAST(as_of AS DATE)) >= 10 THEN 1 ELSE 0 END
                          AS INTEGER) AS fy FROM raw_snapshot),
grace AS (SELECT CAST(value AS INTEGER) AS days FROM stg_seed__rule WHERE rule = 'report_grace_days'),
district_years AS (
    SELECT DISTINCT t.kpi_code, t.fiscal_year FROM fct_kpi_target t JOIN dim_district d ON d.district_code = t.area_code
),
req AS (
    SELECT p.kpi_code, k.owner_unit, k.frequency, p.fiscal_year, p.month, p.fiscal_idx, p.area_code, p.period_date,
           p.period_date + (SELECT days FROM grace) AS deadline
    FROM int_kpi_point p JOIN dim_kpi k USING (kpi_code)
    WHERE is_due(k.frequency, p.fiscal_idx)
      AND p.fiscal_year >= (SELECT fy FROM snap) - 3
      AND p.period_date + (SELECT days FROM grace) < (SELECT as_of FROM snap)
      AND EXISTS (SELECT 1 FROM fct_kpi_target t WHERE t.kpi_code = p.kpi_code AND t.fiscal_year = p.fiscal_year
                                                   AND t.area_code = p.area_code)
      AND NOT (p.area_code = (SELECT province_code FROM raw_snapshot)
               AND EXISTS (SELECT 1 FROM district_years y WHERE y.kpi_code = p.kpi_code
                                                            AND y.fiscal_year = p.fiscal_year))
),
history AS (
    SELECT kpi_code, area_code, fiscal_year, month, value,
           avg(value) OVER w AS mean_all, stddev_samp(value) OVER w AS sd_all, count(*) OVER w AS n_all
    FROM fct_kpi_actual WINDOW w AS (PARTITION BY kpi_code, area_code)
)
SELECT r.*, a.value, a.provenance, a.reported_on,
       a.value IS NOT NULL AS present,
       a.value IS NOT NULL AND (a.reported_on IS NULL OR a.reported_on <= r.deadline) AS on_time,
       a.provenance IN ('official', 'entered') AS verified,
       CASE WHEN a.value IS NULL THEN NULL
            WHEN h.n_all < 12 OR coalesce(h.sd_all, 0) = 0 THEN FALSE
            ELSE abs(a.value - h.mean_all) > 3 * h.sd_all END AS outlier
FROM req r
LEFT JOIN fct_kpi_actual a USING (kpi_code, fiscal_year, month, area_code)
LEFT JOIN history h USING (kpi_code, fiscal_year, month, area_code);

-- grain: one row per indicator cell (indicator_code, area_code, year_be) required
CREATE TABLE fct_quality_indicator_cell AS
WITH snap AS (SELECT CAST(year(CAST(as_of AS DATE)) + 543 AS INTEGER) AS y FROM raw_snapshot)
SELECT i.indicator_code, i.source_agency AS owner_unit, d.district_code AS area_code, yr.year_be,
       yr.year_be = (SELECT y FROM snap) - 1 AS is_latest,
       v.value IS NOT NULL AS present, v.provenance IN ('official', 'entered') AS verified
FROM dim_indicator i
CROSS JOIN (SELECT district_code FROM dim_district WHERE province_code = (SELECT province_code FROM raw_snapshot)) d
CROSS JOIN (SELECT CAST((SELECT y FROM snap) - k AS INTEGER) AS year_be FROM range(1, 4) t(k)) yr
LEFT JOIN fct_indicator_value v ON v.indicator_code = i.indicator_code AND v.area_code = d.district_code
                               AND v.year_be = yr.year_be
WHERE i.area_level = 'district';     -- a province-level indicator (HAI, tourism, BOI) has no district cell

-- grain: one row per GPP cell (sector_code, price_basis, year_be) required of the province: of the
-- latest three years NESDC has published, the current-price total of every year, and the sections
-- (both price bases) and chain-volume total only of a year whose sector table NESDC has published
-- (any province's sections that year). NESDC's newer editions publish totals only: a year of
-- totals only asks for its total, never for sections nobody has published.
CREATE TABLE fct_quality_gpp_cell AS
WITH snap AS (SELECT CAST(year(CAST(as_of AS DATE)) + 543 AS INTEGER) AS y FROM raw_snapshot),
published AS (
    SELECT DISTINCT year_be FROM stg_gpp__nesdc WHERE year_be <= (SELECT y FROM snap) - 2
    ORDER BY year_be DESC LIMIT 3
),
sector_years AS (     -- (year, section, price basis) NESDC's sector table covers, for any province
    SELECT DISTINCT year_be, sector_code, price_basis FROM fct_gpp
    WHERE classification = 'ISIC4' AND provenance = 'official' AND sector_code <> 'TOTAL'
),
required AS (
    SELECT 'TOTAL' AS sector_code, 'cp' AS price_basis, year_be FROM published
    UNION ALL
    SELECT s.sector_code, s.price_basis, s.year_be FROM sector_years s JOIN published USING (year_be)
    UNION ALL
    SELECT DISTINCT 'TOTAL', 'cvm', s.year_be FROM sector_years s JOIN published USING (year_be)
),
have AS (
    SELECT sector_code, price_basis, year_be, max(provenance) AS provenance FROM fct_gpp
    WHERE province_code = (SELECT province_code FROM raw_snapshot) AND classification = 'ISIC4'
    GROUP BY ALL
)
SELECT r.sector_code, r.price_basis, r.year_be, 'NESDC' AS owner_unit,
       r.year_be = (SELECT max(year_be) FROM published) AS is_latest,
       h.sector_code IS NOT NULL AS present, h.provenance IN ('official', 'entered') AS verified
FROM required r
LEFT JOIN have h USING (sector_code, price_basis, year_be);

-- grain: (database, owner_unit, fiscal_year, month); owner_unit NULL = every unit, month NULL =
-- the whole year (indicators and GPP are yearly: their fiscal_year is the data year, and
-- fiscal_year NULL is their whole three-year window).
CREATE TABLE mart_quality AS
WITH kpi AS (
    SELECT 'kpi' AS database, owner_unit, fiscal_year, month,
           count(*) AS required, count(*) FILTER (WHERE present) AS present,
           count(*) FILTER (WHERE on_time) AS on_time,
           count(*) FILTER (WHERE present AND NOT outlier) AS auto_ok,
           count(*) FILTER (WHERE present AND verified) AS verified
    FROM fct_quality_kpi_cell
    GROUP BY GROUPING SETS ((owner_unit, fiscal_year, month), (fiscal_year, month), (owner_unit, fiscal_year),
                            (fiscal_year))
),
ind AS (
    SELECT 'indicators' AS database, owner_unit, year_be AS fiscal_year, CAST(NULL AS INTEGER) AS month,
           count(*) AS required, count(*) FILTER (WHERE present) AS present,
           count(*) FILTER (WHERE present) AS on_time,     -- replaced below by the latest-year rule
           count(*) FILTER (WHERE present) AS auto_ok,
           count(*) FILTER (WHERE present AND verified) AS verified
    FROM fct_quality_indicator_cell GROUP BY GROUPING SETS ((owner_unit, year_be), (year_be), (owner_unit), ())
),
gpp AS (
    SELECT 'gpp' AS database, owner_unit, year_be AS fiscal_year, CAST(NULL AS INTEGER) AS month,
           count(*) AS required, count(*) FILTER (WHERE present) AS present, count(*) FILTER (WHERE present) AS on_time,
           count(*) FILTER (WHERE present) AS auto_ok, count(*) FILTER (WHERE present AND verified) AS verified
    FROM fct_quality_gpp_cell GROUP BY GROUPING SETS ((owner_unit, year_be), (year_be), (owner_unit), ())
),
latest AS (     -- yearly databases: timeliness is whether the latest expected year is there
    SELECT 'indicators' AS database, owner_unit, count(*) FILTER (WHERE present) AS on_time, count(*) AS due
    FROM fct_quality_indicator_cell WHERE is_latest GROUP BY GROUPING SETS ((owner_unit), ())
    UNION ALL
    SELECT 'gpp', owner_unit, count(*) FILTER (WHERE present), count(*)
    FROM fct_quality_gpp_cell WHERE is_latest GROUP BY GROUPING SETS ((owner_unit), ())
),
passport AS (
    SELECT owner_unit, count(*) AS kpis,
           count(*) FILTER (WHERE nullif(trim(data_source), '') IS NOT NULL AND frequency IS NOT NULL
                            AND nullif(trim(verifier), '') IS NOT NULL AND nullif(trim(data_users), '') IS NOT NULL
                            AND nullif(trim(owner_unit), '') IS NOT NULL) AS complete
    FROM dim_kpi GROUP BY GROUPING SETS ((owner_unit), ())
),
cells AS (SELECT * FROM kpi UNION ALL SELECT * FROM ind UNION ALL SELECT * FROM gpp),
pct AS (
    SELECT c.database, c.owner_unit, c.fiscal_year, c.month, c.required, c.present, c.verified,
           round(100.0 * c.present / c.required, 2) AS coverage_pct,
           CASE WHEN c.database = 'kpi' THEN round(100.0 * c.on_time / c.required, 2)
                ELSE round(100.0 * l.on_time / nullif(l.due, 0), 2) END AS timeliness_pct,
           round(100.0 * c.auto_ok / nullif(c.present, 0), 2) AS automated_pct,
           round(100.0 * c.verified / nullif(c.present, 0), 2) AS verified_pct,
           CASE WHEN c.database = 'kpi' THEN round(100.0 * p.complete / nullif(p.kpis, 0), 2) END AS passport_pct
    FROM cells c
    LEFT JOIN latest l ON l.database = c.database AND l.owner_unit IS NOT DISTINCT FROM c.owner_unit
    LEFT JOIN passport p ON p.owner_unit IS NOT DISTINCT FROM c.owner_unit
)
-- accuracy is undefined when nothing is present; the index is then the mean of the other two
SELECT *, pct_band(index_pct) AS band FROM (
    SELECT *, round(list_avg([coverage_pct, accuracy_pct, timeliness_pct]), 2) AS index_pct
    FROM (SELECT *, round((automated_pct + verified_pct) / 2, 2) AS accuracy_pct FROM pct)
)
ORDER BY database, fiscal_year, month NULLS FIRST, owner_unit NULLS FIRST;

-- Freshness (docs/RULES.md section 7): what a tile or chart shows is judged, and how recent.
--
-- KPIs. fct_kpi_freshness reads every point of fct_kpi_status as if its month were the round: a
-- KPI x area is *current* when it has been judged (for the province: every reporter's report in)
-- at its latest *expected* reporting month up to that month, i.e. the latest reporting month that
-- is judged or late (a month awaiting reports, not yet due, is not expected yet; nor one a
-- cumulative plan expects nothing of). periods_behind = the expected reporting months after the
-- latest judged one (late ones); 0 'current', 1 'due' (one period late), 2 or more 'overdue'.
-- reporters / reported: the "n of m" of the expected month. reports_late: the reports of this
-- month that are missing and due; reports_awaited: those of this and later ended months missing
-- and not yet due (the province's row counts every reporter's, as fct_kpi_round does).
-- grain: (kpi_code, area_code, fiscal_year, fiscal_idx); pos = fiscal_year * 12 + fiscal_idx
CREATE TABLE fct_kpi_freshness AS
WITH snap AS (SELECT CAST(as_of AS DATE) AS as_of, province_code FROM raw_snapshot),
pts AS (
    SELECT s.kpi_code, s.area_code, s.fiscal_year, s.fiscal_idx, s.fiscal_year * 12 + s.fiscal_idx AS pos,
           s.reporters, s.reported,
           s.area_code = (SELECT province_code FROM snap) AS is_province,
           coalesce(s.fiscal_idx = s.judged_idx, FALSE)
               AND s.status IS NOT NULL AND s.status NOT IN ('late', 'awaiting', 'not_due') AS judged,
           coalesce(s.fiscal_idx = s.judged_idx, FALSE)
               AND s.status IS NOT NULL AND s.status NOT IN ('awaiting', 'not_due') AS expected,
           CAST(coalesce(s.expects_report AND s.value_month IS NULL
                         AND s.due_date < (SELECT as_of FROM snap), FALSE) AS INTEGER) AS own_late,
           CAST(coalesce(s.expects_report AND s.value_month IS NULL
                         AND s.due_date >= (SELECT as_of FROM snap), FALSE) AS INTEGER) AS own_awaited
    FROM fct_kpi_status s
),
kpi_pos AS (     -- every reporter's reports of a KPI, month by month (what the province's row counts)
    SELECT kpi_code, pos, sum(own_late) AS late_n, sum(own_awaited) AS awaited_n,
           coalesce(sum(sum(own_awaited)) OVER (PARTITION BY kpi_code ORDER BY pos
                                                ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0) AS awaited_later_n
    FROM pts GROUP BY kpi_code, pos
),
running AS (
    SELECT p.*,
           CASE WHEN p.is_province THEN k.late_n ELSE p.own_late END AS late_here,
           CASE WHEN p.is_province THEN k.awaited_n + k.awaited_later_n
                ELSE p.own_awaited + coalesce(sum(p.own_awaited) OVER later, 0) END AS awaited_from_here,
           max(CASE WHEN p.judged THEN p.pos END) OVER upto AS latest_pos,
           max(CASE WHEN p.expected THEN p.pos END) OVER upto AS expected_pos,
           count(*) FILTER (WHERE p.expected) OVER upto AS n_expected,
           last_value(CASE WHEN p.expected THEN p.reporters END IGNORE NULLS) OVER upto AS expected_reporters,
           last_value(CASE WHEN p.expected THEN p.reported END IGNORE NULLS) OVER upto AS expected_reported
    FROM pts p JOIN kpi_pos k USING (kpi_code, pos)
    WINDOW upto AS (PARTITION BY p.kpi_code, p.area_code ORDER BY p.pos
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           later AS (PARTITION BY p.kpi_code, p.area_code ORDER BY p.pos
                     ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
),
behind AS (
    SELECT *,
           n_expected - coalesce(last_value(CASE WHEN judged THEN n_expected END IGNORE NULLS)
                                 OVER (PARTITION BY kpi_code, area_code ORDER BY pos
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS periods_behind
    FROM running
)
SELECT kpi_code, area_code, fiscal_year, fiscal_idx, pos,
       CAST((latest_pos - 1) // 12 AS INTEGER) AS latest_year,
       CAST(fiscal_month(latest_pos - (latest_pos - 1) // 12 * 12) AS INTEGER) AS latest_month,
       CAST((expected_pos - 1) // 12 AS INTEGER) AS expected_year,
       CAST(fiscal_month(expected_pos - (expected_pos - 1) // 12 * 12) AS INTEGER) AS expected_month,
       CAST(periods_behind AS INTEGER) AS periods_behind,
       CASE WHEN periods_behind = 0 THEN 'current' WHEN periods_behind = 1 THEN 'due' ELSE 'overdue' END AS freshness,
       CAST(expected_reporters AS INTEGER) AS reporters, CAST(expected_reported AS INTEGER) AS reported,
       CAST(late_here AS INTEGER) AS reports_late, CAST(awaited_from_here AS INTEGER) AS reports_awaited
FROM behind
ORDER BY area_code, pos, kpi_code;

-- The KPIs' freshness judged against the round at_pos (fiscal_year * 12 + month index) at area
-- at_area: each KPI's row at the round, or its latest row before it (a KPI the round's year does not
-- have); the rows of fct_freshness (dataset 'kpi') for the province's round, and of
-- queries/freshness/kpis_at.sql for the round a page shows. A KPI with no point at all is current
-- with nothing to show. Late reports are the round's own (missing and due); awaited ones those of
-- the ended months after it, missing and not yet due.
CREATE MACRO kpi_freshness_at(at_pos, at_area) AS TABLE
WITH picked AS (
    SELECT f.* FROM fct_kpi_freshness f
    WHERE f.area_code = at_area AND f.pos <= at_pos
    QUALIFY f.pos = max(f.pos) OVER (PARTITION BY f.kpi_code)
)
SELECT 'kpi' AS dataset, k.kpi_code AS item_code, k.frequency, a.latest_year, a.latest_month,
       coalesce(a.periods_behind, 0) AS periods_behind, coalesce(a.freshness, 'current') AS freshness,
       CAST((at_pos - 1) // 12 AS INTEGER) AS round_year,
       CAST(fiscal_month(at_pos - (at_pos - 1) // 12 * 12) AS INTEGER) AS round_month,
       a.expected_year, a.expected_month, a.reporters, a.reported,
       CASE WHEN a.pos = at_pos THEN a.reports_late ELSE 0 END AS reports_late,
       -- a round before the province's (a past one a page was asked for) awaits nothing: the months
       -- after it are due, and those not yet due await the province's round, not that one
       CASE WHEN at_pos >= coalesce((SELECT max(fiscal_year * 12 + round_idx) FROM fct_kpi_round WHERE is_current), 0)
            THEN coalesce(a.reports_awaited, 0) ELSE 0 END AS reports_awaited
FROM dim_kpi k LEFT JOIN picked a USING (kpi_code);

-- Freshness of every series a tile or chart shows, as of the snapshot's as-of date.
-- grain: (dataset, item_code): dataset kpi (item = kpi_code: the province's point, judged against
-- the province's round, fct_kpi_round.is_current), indicator (item = indicator_code), gpp (item =
-- province_code, NESDC totals, any edition), population (item = DOPA or NESDC).
-- Yearly official series: the expected latest year is the publisher's latest release by the
-- as-of date A (data/seeds/release_calendar.csv: year Y is out by release_day / release_month of
-- C.E. year Y - 543 + lag_years, strictly before A); a series is current while its latest year is
-- at least that, and late only past the next expected release (next_release). periods_behind =
-- expected - latest year; 0 'current', 1 'due', 2 or more 'overdue'.
CREATE TABLE fct_freshness AS
WITH snap AS (SELECT CAST(as_of AS DATE) AS as_of, province_code FROM raw_snapshot),
rnd AS (      -- the province's round; a snapshot without one judges against its latest month
    SELECT coalesce((SELECT max(fiscal_year * 12 + round_idx) FROM fct_kpi_round WHERE is_current),
                    (SELECT max(pos) FROM fct_kpi_freshness), 0) AS pos
),
calendar AS (
    SELECT c.*,
           CAST(year(s.as_of) - c.lag_years - CASE WHEN c.released_this_year THEN 0 ELSE 1 END + 543 AS INTEGER)
               AS expected_year,
           make_date(CAST(year(s.as_of) + CASE WHEN c.released_this_year THEN 1 ELSE 0 END AS BIGINT),
                     c.release_month, c.release_day) AS next_release
    FROM (SELECT *, make_date(CAST(year((SELECT as_of FROM snap)) AS BIGINT), release_month, release_day)
                        < (SELECT as_of FROM snap) AS released_this_year
          FROM stg_seed__release_calendar) c, snap s
),
latest AS (
    SELECT 'indicator' AS dataset, indicator_code AS item_code, max(year_be) AS latest_year
    FROM dim_indicator LEFT JOIN fct_indicator_value USING (indicator_code) GROUP BY indicator_code
    UNION ALL
    SELECT 'gpp', province_code, max(year_be)
    FROM fct_gpp WHERE sector_code = 'TOTAL' AND price_basis = 'cp' AND provenance = 'official' GROUP BY province_code
    UNION ALL
    SELECT 'population', source, max(year_be) FROM fct_population GROUP BY source
),
yearly AS (     -- a series without a calendar row (nor its dataset's '*') fails the build: it cannot be judged
    SELECT l.dataset, l.item_code, CAST(l.latest_year AS INTEGER) AS latest_year,
           coalesce(c.expected_year, d.expected_year,
                    error('no release calendar for ' || l.dataset || ' ' || l.item_code
                          || ' (data/seeds/release_calendar.csv)')) AS expected_year,
           coalesce(c.next_release, d.next_release) AS next_release,
           coalesce(c.publisher_th, d.publisher_th) AS publisher_th,
           coalesce(c.publisher_en, d.publisher_en) AS publisher_en
    FROM latest l
    LEFT JOIN calendar c ON c.dataset = l.dataset AND c.item_code = l.item_code
    LEFT JOIN calendar d ON d.dataset = l.dataset AND d.item_code = '*'
)
SELECT dataset, item_code, frequency, latest_year, latest_month, CAST(periods_behind AS INTEGER) AS periods_behind,
       freshness, round_year, round_month, expected_year, expected_month, reporters, reported,
       reports_late, reports_awaited,
       CAST(NULL AS VARCHAR) AS publisher_th, CAST(NULL AS VARCHAR) AS publisher_en, CAST(NULL AS DATE) AS next_release
FROM kpi_freshness_at((SELECT pos FROM rnd), (SELECT province_code FROM snap))
UNION ALL
SELECT dataset, item_code, 'yearly', latest_year, NULL,
       CAST(greatest(0, expected_year - coalesce(latest_year, 0)) AS INTEGER),
       CASE WHEN latest_year >= expected_year THEN 'current' WHEN latest_year = expected_year - 1 THEN 'due'
            ELSE 'overdue' END,
       NULL, NULL, expected_year, NULL, NULL, NULL, NULL, NULL, publisher_th, publisher_en, next_release
FROM yearly;

-- RM 4.1 for each KPI fiscal year: the mean of the three databases' indexes (KPIs that fiscal
-- year; the provincial database and GPP over their three-year window), banded to 1-5.
-- grain: one row per fiscal_year
CREATE TABLE mart_quality_rm41 AS
WITH whole AS (SELECT * FROM mart_quality WHERE owner_unit IS NULL AND month IS NULL),
newest AS (   -- the window's rows; data_year = its newest year
    SELECT w.database, w.index_pct,
           (SELECT max(fiscal_year) FROM whole x WHERE x.database = w.database) AS data_year
    FROM whole w WHERE w.database <> 'kpi' AND w.fiscal_year IS NULL
)
SELECT k.fiscal_year, k.index_pct AS kpi_index_pct,
       (SELECT index_pct FROM newest WHERE database = 'indicators') AS indicators_index_pct,
       (SELECT data_year FROM newest WHERE database = 'indicators') AS indicators_year,
       (SELECT index_pct FROM newest WHERE database = 'gpp') AS gpp_index_pct,
       (SELECT data_year FROM newest WHERE database = 'gpp') AS gpp_year,
       round(list_avg([k.index_pct, (SELECT index_pct FROM newest WHERE database = 'indicators'),
                       (SELECT index_pct FROM newest WHERE database = 'gpp')]), 2) AS index_pct,
       pct_band(round(list_avg([k.index_pct, (SELECT index_pct FROM newest WHERE database = 'indicators'),
                                (SELECT index_pct FROM newest WHERE database = 'gpp')]), 2)) AS band
FROM whole k WHERE k.database = 'kpi'
ORDER BY k.fiscal_year;

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

-- Freshness of every series a tile or chart shows, as of the snapshot's as-of date.
-- grain: (dataset, item_code): dataset kpi (item = kpi_code, any area), indicator (item =
-- indicator_code), gpp (item = province_code, NESDC totals, latest edition), population (item =
-- DOPA or NESDC). expected = the latest period that should be in by now: for a KPI the latest due
-- month whose deadline (period end + report_grace_days) has passed; a yearly indicator or DOPA
-- registration the year before the as-of year; GPP the as-of year - 2 (NESDC's lag).
-- periods_behind counts the reporting periods between the latest present and the expected one;
-- freshness: 0 'current', 1 'due' (amber: the latest report is late), 2 or more 'overdue' (red).
CREATE TABLE fct_freshness AS
WITH snap AS (SELECT CAST(as_of AS DATE) AS as_of, CAST(year(CAST(as_of AS DATE)) + 543 AS INTEGER) AS y
              FROM raw_snapshot),
grace AS (SELECT CAST(value AS INTEGER) AS days FROM stg_seed__rule WHERE rule = 'report_grace_days'),
kpi_latest AS (
    SELECT kpi_code, max(fiscal_year * 12 + fiscal_index(month)) AS n FROM int_kpi_area_actual GROUP BY kpi_code
),
kpi_expected AS (
    SELECT p.kpi_code, max(p.fiscal_year * 12 + p.fiscal_idx) AS n
    FROM int_kpi_point p JOIN dim_kpi k USING (kpi_code)
    WHERE is_due(k.frequency, p.fiscal_idx) AND p.period_date + (SELECT days FROM grace) < (SELECT as_of FROM snap)
    GROUP BY p.kpi_code
),
kpi AS (
    SELECT 'kpi' AS dataset, k.kpi_code AS item_code, k.frequency,
           CAST(l.n // 12 - CASE WHEN l.n % 12 = 0 THEN 1 ELSE 0 END AS INTEGER) AS latest_year,
           CAST(fiscal_month(CASE WHEN l.n % 12 = 0 THEN 12 ELSE l.n % 12 END) AS INTEGER) AS latest_month,
           CASE WHEN e.n IS NULL THEN 0
                ELSE greatest(0, ceil((e.n - coalesce(l.n, 0)) / (12.0 / due_per_year(k.frequency)))) END
               AS periods_behind
    FROM dim_kpi k LEFT JOIN kpi_latest l USING (kpi_code) LEFT JOIN kpi_expected e USING (kpi_code)
),
yearly AS (
    SELECT 'indicator' AS dataset, indicator_code AS item_code, 'yearly' AS frequency, max(year_be) AS latest_year,
           (SELECT y FROM snap) - 1 AS expected FROM dim_indicator LEFT JOIN fct_indicator_value USING (indicator_code)
    GROUP BY indicator_code
    UNION ALL
    SELECT 'gpp', province_code, 'yearly', max(year_be), (SELECT y FROM snap) - 2
    FROM fct_gpp WHERE sector_code = 'TOTAL' AND price_basis = 'cp' AND provenance = 'official' GROUP BY province_code
    UNION ALL
    SELECT 'population', source, 'yearly', max(year_be), (SELECT y FROM snap) - 1 FROM fct_population GROUP BY source
)
SELECT dataset, item_code, frequency, latest_year, latest_month,
       CAST(periods_behind AS INTEGER) AS periods_behind,
       CASE WHEN periods_behind = 0 THEN 'current' WHEN periods_behind = 1 THEN 'due' ELSE 'overdue' END AS freshness
FROM kpi
UNION ALL
SELECT dataset, item_code, frequency, latest_year, NULL,
       CAST(greatest(0, expected - coalesce(latest_year, 0)) AS INTEGER),
       CASE WHEN latest_year >= expected THEN 'current' WHEN latest_year = expected - 1 THEN 'due' ELSE 'overdue' END
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

-- Scoring rules used by the marts, defined once.
--
-- kpi_score(x, t1..t5): the five-level score of value x against criteria t1..t5, linear between
-- criteria, as in Thai performance agreements. The criteria run either way: increasing (higher
-- is better) or decreasing (lower is better; and, for a within-a-range KPI, the distance outside
-- the range). Clamps: a value at or beyond level 1 scores 1.0000, at or beyond level 5 scores
-- 5.0000; a value exactly on criterion i scores i (when two criteria are equal, the higher
-- level). NULL when x or the criteria are missing. Rounded half up to 4 decimals (docs/RULES.md).
CREATE MACRO kpi_score_inc(x, t1, t2, t3, t4, t5) AS
    CASE WHEN x >= t5 THEN 5.0
         WHEN x >= t4 THEN 4 + (x - t4) / (t5 - t4)
         WHEN x >= t3 THEN 3 + (x - t3) / (t4 - t3)
         WHEN x >= t2 THEN 2 + (x - t2) / (t3 - t2)
         WHEN x > t1 THEN 1 + (x - t1) / (t2 - t1)
         ELSE 1.0 END;

-- half up to 4 decimals: DuckDB's round() of a DOUBLE rounds the binary value (3.69275 is stored as
-- 3.692749999...: 3.6927), and a DECIMAL divided by a DECIMAL is a DOUBLE; the quotient is carried
-- to 12 decimals as a DECIMAL, whose round() is half away from zero (3.69275 -> 3.6928).
CREATE MACRO round4(x) AS CAST(round(CAST(x AS DECIMAL(38, 12)), 4) AS DOUBLE);

CREATE MACRO kpi_score(x, t1, t2, t3, t4, t5) AS
    CASE WHEN x IS NULL OR t1 IS NULL OR t2 IS NULL OR t3 IS NULL OR t4 IS NULL OR t5 IS NULL THEN NULL
         WHEN t5 >= t1 THEN round4(kpi_score_inc(x, t1, t2, t3, t4, t5))
         ELSE round4(kpi_score_inc(-x, -t1, -t2, -t3, -t4, -t5)) END;

-- The value a KPI is scored on: a within-a-range KPI is scored on its distance outside the range.
-- A missing value has no distance (greatest() skips NULLs: it would be "0, inside the range").
CREATE MACRO kpi_scored_value(direction, x, range_low, range_high) AS
    CASE WHEN x IS NULL THEN NULL
         WHEN direction = 'range' THEN greatest(range_low - x, x - range_high, 0.0) ELSE x END;

-- A status from a score and its bands. Statuses without a score (no data, late, no criteria)
-- are decided before this and are never red.
CREATE MACRO score_status(score, red_below, green_from) AS
    CASE WHEN score IS NULL THEN NULL
         WHEN score < red_below THEN 'red'
         WHEN score < green_from THEN 'yellow'
         ELSE 'green' END;

-- Fiscal month index: October = 1 ... September = 12; and back.
CREATE MACRO fiscal_index(m) AS CASE WHEN m >= 10 THEN m - 9 ELSE m + 3 END;
CREATE MACRO fiscal_month(i) AS CASE WHEN i <= 3 THEN i + 9 ELSE i - 3 END;
-- The last day of month m of fiscal year fy (B.E.).
CREATE MACRO fiscal_period_end(fy, m) AS
    last_day(make_date(CAST(fy - 543 - CASE WHEN m >= 10 THEN 1 ELSE 0 END AS BIGINT), CAST(m AS BIGINT), 1));

-- Whether a KPI of a frequency is due at fiscal month index i (1 = October): monthly every
-- month, quarterly at 3/6/9/12, half-yearly at 6/12, yearly at 12; and how many times a year.
CREATE MACRO is_due(frequency, i) AS
    CASE frequency WHEN 'monthly' THEN TRUE WHEN 'quarterly' THEN i % 3 = 0
                   WHEN 'semiannual' THEN i % 6 = 0 ELSE i = 12 END;
CREATE MACRO due_per_year(frequency) AS
    CASE frequency WHEN 'monthly' THEN 12 WHEN 'quarterly' THEN 4 WHEN 'semiannual' THEN 2 ELSE 1 END;
-- A percentage banded to 1-5 as RM 4.x: 60/70/80/90/100 % are levels 1-5, linear between.
CREATE MACRO pct_band(pct) AS kpi_score(pct, 60, 70, 80, 90, 100);

-- At current prices the sectors of a (province, year, classification, edition) sum to the total
-- within rounding (0.0005 per line). Never applied to chain volume (not additive).
WITH sums AS (
    SELECT province_code, year_be, classification, edition,
           sum(value_million_baht) FILTER (WHERE sector_code <> 'TOTAL') AS sectors,
           count(*) FILTER (WHERE sector_code <> 'TOTAL') AS lines,
           max(value_million_baht) FILTER (WHERE sector_code = 'TOTAL') AS total
    FROM fct_gpp WHERE price_basis = 'cp'
    GROUP BY ALL
)
SELECT province_code, year_be, classification, edition, round(sectors, 3) AS sectors, total,
       round(sectors - total, 4) AS difference
FROM sums
WHERE lines > 0 AND (total IS NULL OR abs(sectors - total) > 0.0005 * lines + 1e-9);

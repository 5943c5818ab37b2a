-- At current prices the sectors of a (province, year, classification, edition) sum to the total
-- within rounding (0.0005 per line). Never applied to chain volume (not additive). Names the
-- file and row of the first sector line (the total is NESDC's, or a TOTAL line of the file).
-- NESDC's own sector table (official sectors) is checked against its own total lines by
-- gpp_nesdc_sector.sql: the shipped totals it is compared with there are rounded coarser.
WITH sums AS (
    SELECT province_code, year_be, classification, edition,
           sum(value_million_baht) FILTER (WHERE sector_code <> 'TOTAL') AS sectors,
           count(*) FILTER (WHERE sector_code <> 'TOTAL') AS lines,
           max(value_million_baht) FILTER (WHERE sector_code = 'TOTAL') AS total,
           arg_min(_file, _row) FILTER (WHERE sector_code <> 'TOTAL') AS file,
           min(_row) FILTER (WHERE sector_code <> 'TOTAL') AS row
    FROM fct_gpp WHERE price_basis = 'cp'
    GROUP BY ALL
    HAVING NOT coalesce(bool_and(provenance = 'official') FILTER (WHERE sector_code <> 'TOTAL'), FALSE)
)
SELECT province_code, year_be, classification, edition, round(sectors, 3) AS sectors, total,
       round(sectors - total, 4) AS difference, file, row, 'value_million_baht' AS column_name,
       CAST(round(sectors, 3) AS VARCHAR) AS value,
       CASE WHEN total IS NULL THEN 'no total for these sectors'
            ELSE printf('the sectors at current prices sum to %s, the total is %s (difference %s)',
                        CAST(round(sectors, 3) AS VARCHAR), CAST(total AS VARCHAR),
                        CAST(round(sectors - total, 4) AS VARCHAR)) END AS reason,
       CASE WHEN total IS NULL THEN 'ไม่มียอดรวมของสาขาเหล่านี้'
            ELSE printf('ผลรวมรายสาขา ณ ราคาประจำปีเท่ากับ %s แต่ยอดรวมคือ %s (ต่างกัน %s)',
                        CAST(round(sectors, 3) AS VARCHAR), CAST(total AS VARCHAR),
                        CAST(round(sectors - total, 4) AS VARCHAR)) END AS reason_th
FROM sums
WHERE lines > 0 AND (total IS NULL OR abs(sectors - total) > 0.0005 * lines + 1e-9);

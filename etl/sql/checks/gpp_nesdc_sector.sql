-- NESDC's sector table (stg_gpp__nesdc_sector) against itself and the totals already shipped:
-- 1. its GPP line at current prices equals the shipped total of edition nesdc-2013-2020
--    (stg_gpp__nesdc, 2556-2563) to the digits that file gives (it rounds some figures to whole
--    million baht: tolerance half a unit of its last digit);
-- 2. its 19 sections at current prices add up to the area's own total line within 0.01 million
--    baht (NESDC rounds each line; the largest gap in the 2020 edition is 0.0048, the kingdom's);
-- 3. each NESDC region's GRP equals the sum of its member provinces' GPP (etl/official.py
--    NESDC_REGIONS) within 0.01 million baht per member.
-- Chain-volume lines are never summed (chain-linking is not additive). Rows name file and row.
WITH shipped AS (
    SELECT trim(province_code) AS province_code, CAST(year_be AS INTEGER) AS year_be,
           CAST(gpp_current_million_baht AS DOUBLE) AS total,
           gpp_current_million_baht AS published,
           CASE WHEN contains(gpp_current_million_baht, '.')
                THEN length(split_part(gpp_current_million_baht, '.', 2)) ELSE 0 END AS decimals,
           _file AS shipped_file, _row AS shipped_row
    FROM raw_nesdc_gpp_old
), total_vs_shipped AS (
    SELECT s._file AS file, s._row AS row, s.area_code, s.year_be, s.value_million_baht, h.published,
           h.shipped_file, h.shipped_row
    FROM stg_gpp__nesdc_sector s
    JOIN shipped h ON h.province_code = s.area_code AND h.year_be = s.year_be
    WHERE s.sector_code = 'TOTAL' AND s.price_basis = 'cp'
      AND abs(s.value_million_baht - h.total) > 0.5 * pow(10, -h.decimals) + 1e-9
), missing_total AS (
    SELECT h.shipped_file AS file, h.shipped_row AS row, h.province_code, h.year_be
    FROM shipped h
    WHERE NOT EXISTS (SELECT 1 FROM stg_gpp__nesdc_sector s WHERE s.area_code = h.province_code
                      AND s.year_be = h.year_be AND s.sector_code = 'TOTAL' AND s.price_basis = 'cp')
), sums AS (
    SELECT area_code, year_be,
           sum(value_million_baht) FILTER (WHERE sector_code <> 'TOTAL') AS sections,
           count(*) FILTER (WHERE sector_code <> 'TOTAL') AS lines,
           max(value_million_baht) FILTER (WHERE sector_code = 'TOTAL') AS total,
           arg_max(_row, abs(value_million_baht)) FILTER (WHERE sector_code <> 'TOTAL') AS row,
           any_value(_file) AS file
    FROM stg_gpp__nesdc_sector WHERE price_basis = 'cp' GROUP BY ALL
), regions AS (
    SELECT r.area_code, s.year_be, max(t.value_million_baht) AS grp, sum(s.value_million_baht) AS provinces,
           count(*) AS members, max(t._row) AS row, max(t._file) AS file
    FROM (SELECT DISTINCT area_code, member_code FROM raw_nesdc_area WHERE area_level = 'region') r
    JOIN stg_gpp__nesdc_sector s ON s.area_code = r.member_code AND s.sector_code = 'TOTAL' AND s.price_basis = 'cp'
    JOIN stg_gpp__nesdc_sector t ON t.area_code = r.area_code AND t.year_be = s.year_be
                                AND t.sector_code = 'TOTAL' AND t.price_basis = 'cp'
    GROUP BY ALL
)
SELECT file, row, 'value_million_baht' AS column_name, CAST(value_million_baht AS VARCHAR) AS value,
       printf('GPP of %s in %d at current prices is %s in the sector table but %s in the shipped total (%s row %d)',
              area_code, year_be, CAST(value_million_baht AS VARCHAR), published, shipped_file, shipped_row) AS reason,
       printf('ผลิตภัณฑ์มวลรวมจังหวัด %s ปี %d ณ ราคาประจำปีในตารางรายสาขาเท่ากับ %s แต่ยอดรวมที่ใช้อยู่คือ %s (%s แถว %d)',
              area_code, year_be, CAST(value_million_baht AS VARCHAR), published, shipped_file, shipped_row) AS reason_th
FROM total_vs_shipped
UNION ALL
SELECT file, row, 'province_code', province_code,
       printf('the sector table has no GPP line for %s in %d', province_code, year_be),
       printf('ตารางรายสาขาไม่มียอดรวมของ %s ปี %d', province_code, year_be)
FROM missing_total
UNION ALL
SELECT file, row, 'value_million_baht', CAST(round(sections, 4) AS VARCHAR),
       printf('the 19 sections of %s in %d at current prices sum to %s, its total line is %s',
              area_code, year_be, CAST(round(sections, 4) AS VARCHAR), CAST(total AS VARCHAR)),
       printf('ผลรวม 19 สาขาของ %s ปี %d ณ ราคาประจำปีเท่ากับ %s แต่ยอดรวมคือ %s',
              area_code, year_be, CAST(round(sections, 4) AS VARCHAR), CAST(total AS VARCHAR))
FROM sums WHERE lines <> 19 OR total IS NULL OR abs(sections - total) > 0.01
UNION ALL
SELECT file, row, 'value_million_baht', CAST(grp AS VARCHAR),
       printf('NESDC region %s in %d: GRP %s, its %d provinces sum to %s', area_code, year_be,
              CAST(grp AS VARCHAR), members, CAST(round(provinces, 4) AS VARCHAR)),
       printf('ภาค %s ปี %d: ผลิตภัณฑ์ภาค %s แต่ %d จังหวัดรวมกันได้ %s', area_code, year_be,
              CAST(grp AS VARCHAR), members, CAST(round(provinces, 4) AS VARCHAR))
FROM regions WHERE abs(grp - provinces) > 0.01 * members;

-- Percentages within 0-100, counts (units in data/seeds/count_units.csv) whole, money and counts not
-- negative, dates in order. Returns offending rows,
-- each with its reason in English and Thai (etl validate shows them).
SELECT 'fct_kpi_actual' AS table_name, a._file AS file, a._row AS row, 'value' AS column_name,
       CAST(a.value AS VARCHAR) AS value, 'percentage outside 0-100' AS reason, 'ค่าร้อยละอยู่นอกช่วง 0–100' AS reason_th
FROM fct_kpi_actual a JOIN dim_kpi k USING (kpi_code)
WHERE k.is_percent AND (a.value < 0 OR a.value > 100)
UNION ALL SELECT 'fct_kpi_actual', a._file, a._row, 'value', CAST(a.value AS VARCHAR), 'a count is a whole number',
       'จำนวนนับต้องเป็นจำนวนเต็ม'
FROM fct_kpi_actual a JOIN dim_kpi k USING (kpi_code)
WHERE k.is_count AND a.value <> floor(a.value)
UNION ALL SELECT 'fct_kpi_target', t._file, t._row, 'target', CAST(t.target AS VARCHAR), 'percentage outside 0-100',
       'ค่าร้อยละอยู่นอกช่วง 0–100'
FROM fct_kpi_target t JOIN dim_kpi k USING (kpi_code)
WHERE k.is_percent AND (t.target < 0 OR t.target > 100)
UNION ALL SELECT 'fct_indicator_value', v._file, v._row, 'value', CAST(v.value AS VARCHAR), 'percentage outside 0-100',
       'ค่าร้อยละอยู่นอกช่วง 0–100'
FROM fct_indicator_value v JOIN dim_indicator i USING (indicator_code)
WHERE i.is_percent AND (v.value < 0 OR v.value > 100)
UNION ALL SELECT 'fct_project_month', _file, _row, 'progress', CAST(coalesce(actual_progress_pct, planned_progress_pct) AS VARCHAR),
       'percentage outside 0-100', 'ค่าร้อยละอยู่นอกช่วง 0–100'
FROM fct_project_month
WHERE NOT (planned_progress_pct BETWEEN 0 AND 100) OR NOT (coalesce(actual_progress_pct, 0) BETWEEN 0 AND 100)
UNION ALL SELECT 'fct_gpp', _file, _row, 'value_million_baht', CAST(value_million_baht AS VARCHAR), 'negative GPP at current prices',
       'ผลิตภัณฑ์มวลรวม ณ ราคาประจำปีติดลบ'
FROM fct_gpp WHERE price_basis = 'cp' AND sector_code = 'TOTAL' AND value_million_baht < 0
UNION ALL SELECT 'fct_gpp', _file, _row, 'reference_year', CAST(reference_year AS VARCHAR), 'chain volume without reference year',
       'ราคาปริมาณลูกโซ่ (cvm) ต้องระบุปีอ้างอิง'
FROM fct_gpp WHERE price_basis = 'cvm' AND reference_year IS NULL
UNION ALL SELECT 'fct_disaster', _file, _row, 'end_date', CAST(end_date AS VARCHAR), 'ends before it starts',
       'วันสิ้นสุดก่อนวันเริ่ม'
FROM fct_disaster WHERE end_date < start_date
UNION ALL SELECT 'fct_disaster', _file, _row, 'damage_baht', CAST(damage_baht AS VARCHAR), 'negative', 'ติดลบ'
FROM fct_disaster WHERE damage_baht < 0 OR households_affected < 0 OR area_rai < 0
UNION ALL SELECT 'fct_population', NULL, NULL, 'total', area_code || ':' || year_be, 'not positive', 'ไม่เป็นบวก'
FROM fct_population WHERE total <= 0
UNION ALL SELECT 'dim_kpi_criteria', NULL, NULL, 't1..t5', kpi_code || ':' || fiscal_year, 'criteria not monotonic',
       'เกณฑ์ 5 ระดับไม่เรียงทางเดียวกัน'
FROM dim_kpi_criteria
WHERE NOT ((t1 <= t2 AND t2 <= t3 AND t3 <= t4 AND t4 <= t5) OR (t1 >= t2 AND t2 >= t3 AND t3 >= t4 AND t4 >= t5))
UNION ALL SELECT 'dim_kpi_criteria', NULL, NULL, 'red_below/green_from', kpi_code || ':' || fiscal_year,
       'red band above green band', 'เกณฑ์สีแดงสูงกว่าเกณฑ์สีเขียว'
FROM dim_kpi_criteria WHERE red_below > green_from;

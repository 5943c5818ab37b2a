-- Every unit a catalogue uses has an English name (data/seeds/units.csv or count_units.csv), so
-- English pages never show a Thai unit. Returns the rows naming file, row and column.
SELECT 'dim_kpi' AS table_name, _file AS file, _row AS row, 'unit' AS column_name, unit AS value,
       'unit ''' || unit || ''' has no English name: add it to data/seeds/units.csv (unit,name_en)' AS reason,
       'หน่วยนับ ''' || unit || ''' ไม่มีชื่อภาษาอังกฤษ: เพิ่มใน data/seeds/units.csv (unit,name_en)' AS reason_th
FROM raw_kpis
WHERE coalesce(trim(unit), '') <> '' AND trim(unit) NOT IN (SELECT unit FROM stg_seed__unit)
UNION ALL
SELECT 'dim_indicator', _file, _row, 'unit', unit,
       'unit ''' || unit || ''' has no English name: add it to data/seeds/units.csv (unit,name_en)',
       'หน่วยนับ ''' || unit || ''' ไม่มีชื่อภาษาอังกฤษ: เพิ่มใน data/seeds/units.csv (unit,name_en)'
FROM raw_indicators
WHERE coalesce(trim(unit), '') <> '' AND trim(unit) NOT IN (SELECT unit FROM stg_seed__unit)
  AND indicator_code NOT IN (SELECT indicator_code FROM raw_official_indicators)
UNION ALL
SELECT 'dim_indicator', 'etl/official.py', NULL, 'unit', unit,
       'unit ''' || unit || ''' of official indicator ' || indicator_code
       || ' has no English name: add it to data/seeds/units.csv (unit,name_en)',
       'หน่วยนับ ''' || unit || ''' ของตัวชี้วัดทางการ ' || indicator_code
       || ' ไม่มีชื่อภาษาอังกฤษ: เพิ่มใน data/seeds/units.csv (unit,name_en)'
FROM raw_official_indicators
WHERE coalesce(trim(unit), '') <> '' AND trim(unit) NOT IN (SELECT unit FROM stg_seed__unit);

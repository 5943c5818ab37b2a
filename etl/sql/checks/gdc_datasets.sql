-- GD-Catalog metadata (data/seeds/gdc_datasets.csv, docs/CATALOG.md): every dataset the open-data API
-- serves (web/api.py DATASETS; tests/test_gdc_catalog.py holds the list below equal to it) has one
-- row, every field the thai_gdc schema requires is filled, and each choice is one of the schema's
-- (ckanext-thai_gdc ckan_dataset.json). Sanyan publishes public data only: data_category must be
-- ข้อมูลสาธารณะ. Returns the rows naming file, row and column.
WITH open_dataset(name) AS (
    VALUES ('kpis'), ('kpi_results'), ('indicators'), ('indicator_values'), ('population'),
           ('gpp_totals'), ('gpp_sectors'), ('s9_register')
),
seed AS (SELECT * FROM stg_seed__gdc_dataset),
filled AS (
    UNPIVOT (
        SELECT _row, name, title_th, title_en, data_type, objective, update_frequency_unit,
               update_frequency_interval, geo_coverage, data_source, data_format, data_category,
               license_id, maintainer, maintainer_email, tag_string, notes, allow_harvest,
               first_year_of_data
        FROM seed
    ) ON COLUMNS(* EXCLUDE (_row)) INTO NAME column_name VALUE value
),
required(column_name) AS (
    VALUES ('name'), ('title_th'), ('title_en'), ('data_type'), ('objective'), ('update_frequency_unit'),
           ('update_frequency_interval'), ('geo_coverage'), ('data_source'), ('data_format'),
           ('data_category'), ('license_id'), ('maintainer'), ('maintainer_email'), ('tag_string'),
           ('notes'), ('allow_harvest'), ('first_year_of_data')
),
choice(column_name, value) AS (
    SELECT 'data_type', unnest(['ข้อมูลระเบียน', 'ข้อมูลสถิติ', 'ข้อมูลภูมิสารสนเทศเชิงพื้นที่',
                                'ข้อมูลหลากหลายประเภท', 'ข้อมูลประเภทอื่นๆ'])
    UNION ALL
    SELECT 'objective', unnest(['ยุทธศาสตร์ชาติ', 'แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ', 'แผนความมั่นคงแห่งชาติ',
                                'แผนแม่บทภายใต้ยุทธศาสตร์ชาติ', 'แผนปฏิรูปประเทศ', 'แผนระดับที่ 3 (มติครม. 4 ธ.ค. 2560)',
                                'นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี', 'มติคณะรัฐมนตรี', 'เพื่อการให้บริการประชาชน',
                                'กฎหมายที่เกี่ยวข้อง', 'พันธกิจหน่วยงาน', 'ดัชนี/ตัวชี้วัดระดับนานาชาติ', 'ไม่ทราบ', 'อื่นๆ'])
    UNION ALL
    SELECT 'update_frequency_unit', unnest(['ไม่ทราบ', 'ปี', 'ครึ่งปี', 'ไตรมาส', 'เดือน', 'สัปดาห์', 'วัน', 'วันทำการ',
                                            'ชั่วโมง', 'นาที', 'ตามเวลาจริง', 'ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล', 'อื่นๆ'])
    UNION ALL
    SELECT 'geo_coverage', unnest(['ไม่มี', 'โลก', 'ทวีป/กลุ่มประเทศในทวีป', 'กลุ่มประเทศทางเศรษฐกิจ', 'ประเทศ', 'ภาค',
                                   'จังหวัด', 'อำเภอ', 'ตำบล', 'หมู่บ้าน', 'เทศบาล/อบต.', 'พิกัด', 'ไม่ทราบ', 'อื่นๆ'])
    UNION ALL
    SELECT 'data_format', unnest(['Database', 'CSV', 'XML', 'Image', 'Video', 'Audio', 'Text', 'JSON', 'HTML', 'XLS',
                                  'PDF', 'RDF', 'NoSQL', 'Arc/Info Coverage', 'Shapefile', 'GeoTiff', 'GML', 'ไม่ทราบ',
                                  'อื่นๆ'])
    UNION ALL
    SELECT 'data_category', 'ข้อมูลสาธารณะ'
    UNION ALL
    SELECT 'license_id', unnest(['License not specified', 'Creative Commons Attributions',
                                 'Creative Commons Attribution Share-Alike', 'Creative Commons Non-Commercial (Any)',
                                 'Open Data Common', 'GNU Free Documentation License', 'อื่นๆ'])
    UNION ALL
    SELECT 'allow_harvest', unnest(['True', 'False'])
    UNION ALL
    SELECT 'data_language', unnest(['ไทย', 'อังกฤษ', 'จีน', 'มลายู', 'พม่า', 'ลาว', 'เขมร', 'ญี่ปุ่น', 'เกาหลี', 'ฝรั่งเศส',
                                    'เยอรมัน', 'อารบิก', 'ไม่ทราบ', 'อื่นๆ'])
),
-- every value of a choice field (lists split on ';')
chosen AS (
    SELECT _row, column_name, trim(v) AS value
    FROM (
        UNPIVOT (SELECT _row, data_type, objective, update_frequency_unit, geo_coverage, data_format,
                        data_category, license_id, allow_harvest, data_language FROM seed)
        ON COLUMNS(* EXCLUDE (_row)) INTO NAME column_name VALUE value
    ), unnest(string_split(value, ';')) AS t(v)
    WHERE trim(v) <> ''
)
SELECT 'data/seeds/gdc_datasets.csv' AS file, NULL::INTEGER AS row, 'name' AS column_name, o.name AS value,
       'open dataset ''' || o.name || ''' has no row: add one (docs/CATALOG.md)' AS reason,
       'ชุดข้อมูลเปิด ''' || o.name || ''' ไม่มีแถว: เพิ่มแถวของชุดข้อมูลนี้ (docs/CATALOG.md)' AS reason_th
FROM open_dataset o
WHERE o.name NOT IN (SELECT name FROM seed WHERE name IS NOT NULL)
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 'name', s.name,
       '''' || s.name || ''' is not a dataset of the open-data API (/api/v1/datasets)',
       '''' || s.name || ''' ไม่ใช่ชุดข้อมูลของ API ข้อมูลเปิด (/api/v1/datasets)'
FROM seed s
WHERE coalesce(s.name, '') <> '' AND s.name NOT IN (SELECT name FROM open_dataset)
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 'name', s.name,
       'dataset ''' || s.name || ''' has more than one row', 'ชุดข้อมูล ''' || s.name || ''' มีมากกว่าหนึ่งแถว'
FROM seed s
WHERE coalesce(s.name, '') <> '' AND s._row > (SELECT min(_row) FROM seed t WHERE t.name = s.name)
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', f._row, f.column_name, NULL,
       'required field ' || f.column_name || ' is empty', 'ต้องกรอก ' || f.column_name
FROM filled f
WHERE coalesce(f.value, '') = '' AND f.column_name IN (SELECT column_name FROM required)
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', c._row, c.column_name, c.value,
       CASE WHEN c.column_name = 'data_category'
            THEN 'Sanyan publishes public data only: data_category must be ข้อมูลสาธารณะ'
            ELSE '''' || c.value || ''' is not a choice of thai_gdc ' || c.column_name || ' (docs/CATALOG.md)' END,
       CASE WHEN c.column_name = 'data_category'
            THEN 'สัญญาณเผยแพร่เฉพาะข้อมูลสาธารณะ: data_category ต้องเป็น ข้อมูลสาธารณะ'
            ELSE '''' || c.value || ''' ไม่ใช่ตัวเลือกของ ' || c.column_name || ' ในแบบ thai_gdc (docs/CATALOG.md)' END
FROM chosen c
WHERE NOT EXISTS (SELECT 1 FROM choice k WHERE k.column_name = c.column_name AND k.value = c.value)
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 'update_frequency_interval', s.update_frequency_interval,
       'update_frequency_interval must be a whole number from 1 (times per update_frequency_unit)',
       'update_frequency_interval ต้องเป็นจำนวนเต็มตั้งแต่ 1 (จำนวนครั้งต่อหน่วยความถี่)'
FROM seed s
WHERE coalesce(s.update_frequency_interval, '') <> ''
  AND coalesce(TRY_CAST(s.update_frequency_interval AS INTEGER), 0) < 1
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 'first_year_of_data', s.first_year_of_data,
       'first_year_of_data must be a year B.E. such as 2560', 'first_year_of_data ต้องเป็นปี พ.ศ. เช่น 2560'
FROM seed s
WHERE coalesce(s.first_year_of_data, '') <> ''
  AND NOT (regexp_full_match(s.first_year_of_data, '[0-9]{4}') AND s.first_year_of_data BETWEEN '2400' AND '2700')
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 'maintainer_email', s.maintainer_email,
       'maintainer_email is not an e-mail address', 'maintainer_email ไม่ใช่ที่อยู่อีเมล'
FROM seed s
WHERE coalesce(s.maintainer_email, '') <> ''
  AND NOT regexp_full_match(s.maintainer_email, '[^@\s]+@[^@\s]+\.[A-Za-z]{2,}')
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 's9_category', s.s9_category,
       's9_category must be empty or a section 9 category 1-8', 's9_category ต้องว่างหรือเป็นหมวดตามมาตรา 9 (1–8)'
FROM seed s
WHERE coalesce(s.s9_category, '') <> '' AND coalesce(TRY_CAST(s.s9_category AS INTEGER), 0) NOT BETWEEN 1 AND 8
UNION ALL
SELECT 'data/seeds/gdc_datasets.csv', s._row, 'license_id_other', NULL,
       'license_id อื่นๆ needs license_id_other (the licence''s name)', 'license_id อื่นๆ ต้องระบุ license_id_other (ชื่อสัญญาอนุญาต)'
FROM seed s
WHERE s.license_id = 'อื่นๆ' AND coalesce(s.license_id_other, '') = '';

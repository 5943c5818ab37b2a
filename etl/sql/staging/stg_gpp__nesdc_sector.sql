-- NESDC GPP by sector, 2020 edition (data/official/gpp/nesdc_sector_2020/tha_gpp.csv): the sector
-- detail of edition nesdc-2013-2020, 1995-2020 (B.E. 2538-2563), for the 77 provinces, NESDC's
-- sub-regions (clusters), its seven regions and the whole kingdom (codes: etl/official.py).
-- The 19 ISIC Rev.4 sections A-S and the area's total line (TOTAL: GPP, GRP, GDP or the
-- cluster's), at current prices (cp) and in chain volume (cvm, reference year 2002 = B.E. 2545).
-- Values exactly as in the file; 2020 carries NESDC's provisional flag p. The 2019 figures are
-- unflagged: the totals file of this edition (stg_gpp__nesdc) carries no r.
-- grain: one row per (area_code, year_be, sector_code, price_basis)
CREATE TABLE stg_gpp__nesdc_sector AS
SELECT area_level, area_code, trim(province_nesdc_en) AS nesdc_name,
       CAST(year AS INTEGER) + 543 AS year_be, 'ISIC4' AS classification, sector_code, price_basis,
       CASE WHEN price_basis = 'cvm' THEN 2545 END AS reference_year,
       CAST(value_million_baht AS DOUBLE) AS value_million_baht,
       CASE WHEN CAST(year AS INTEGER) = 2020 THEN 'p' END AS revision_flag,
       'nesdc-2013-2020' AS edition, 'official' AS provenance,
       'สศช. ผลิตภัณฑ์ภาคและจังหวัด ฉบับ 2563 ตารางรายสาขา (tha_gpp.csv) ผ่าน phat-ap/econvis / '
       || 'NESDC Gross Regional and Provincial Product, 2020 edition, sector table' AS source_ref,
       _file, _row
FROM raw_nesdc_gpp_sector;

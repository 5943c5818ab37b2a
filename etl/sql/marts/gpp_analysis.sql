-- GPP analysis, the formulas once (../shared/docs/DOMAIN.md §1). Growth is only ever computed
-- between consecutive years of the same edition (never across editions: no silent splice).
--
-- mart_gpp_total: province x year x edition: current-price GPP (with its p/r flag and
-- provenance), the chain-volume total when loaded, nominal and real growth (%), the implicit
-- deflator (cp / cvm x 100), NESDC population and GPP per capita (baht), and ranks among all
-- provinces and within the region (by GPP and by per capita). The region of the ranks is NESDC's
-- (dim_gpp_area.region_code: Bangkok ranks among "Bangkok and vicinities", the region its GRP and
-- sectors are compared with on /gpp), the DOPA region only for a province NESDC does not place.
CREATE TABLE mart_gpp_total AS
WITH cp AS (
    SELECT province_code, year_be, classification, edition, value_million_baht AS gpp_cp, revision_flag,
           provenance, source_ref
    FROM fct_gpp WHERE sector_code = 'TOTAL' AND price_basis = 'cp'
), cvm AS (
    SELECT province_code, year_be, classification, edition, value_million_baht AS gpp_cvm, reference_year,
           provenance AS cvm_provenance
    FROM fct_gpp WHERE sector_code = 'TOTAL' AND price_basis = 'cvm'
), pop AS (
    SELECT area_code AS province_code, year_be, total AS population FROM fct_population WHERE source = 'NESDC'
), joined AS (
    SELECT cp.*, cvm.gpp_cvm, cvm.reference_year, cvm.cvm_provenance, pop.population, p.region,
           p.name_th, p.name_en, coalesce(a.region_code, p.region) AS nesdc_region,
           CASE WHEN pop.population > 0 THEN cp.gpp_cp * 1e6 / pop.population END AS per_capita_baht,
           CASE WHEN cvm.gpp_cvm > 0 THEN 100 * cp.gpp_cp / cvm.gpp_cvm END AS deflator
    FROM cp
    JOIN dim_province p USING (province_code)
    LEFT JOIN dim_gpp_area a ON a.area_code = cp.province_code AND a.area_level = 'province'
    LEFT JOIN cvm USING (province_code, year_be, classification, edition)
    LEFT JOIN pop USING (province_code, year_be)
)
SELECT j.*,
       100 * (j.gpp_cp / prev.gpp_cp - 1) AS nominal_growth_pct,
       100 * (j.gpp_cvm / prev.gpp_cvm - 1) AS real_growth_pct,
       rank() OVER (PARTITION BY j.edition, j.year_be ORDER BY j.gpp_cp DESC) AS rank_gpp,
       count(*) OVER (PARTITION BY j.edition, j.year_be) AS provinces,
       rank() OVER (PARTITION BY j.edition, j.year_be, j.nesdc_region ORDER BY j.gpp_cp DESC) AS rank_gpp_region,
       count(*) OVER (PARTITION BY j.edition, j.year_be, j.nesdc_region) AS provinces_region,
       CASE WHEN j.per_capita_baht IS NOT NULL THEN rank() OVER (
           PARTITION BY j.edition, j.year_be, j.per_capita_baht IS NULL ORDER BY j.per_capita_baht DESC) END
           AS rank_per_capita,
       CASE WHEN j.per_capita_baht IS NOT NULL THEN rank() OVER (
           PARTITION BY j.edition, j.year_be, j.nesdc_region, j.per_capita_baht IS NULL
           ORDER BY j.per_capita_baht DESC) END
           AS rank_per_capita_region
FROM joined j
LEFT JOIN joined prev ON prev.province_code = j.province_code AND prev.edition = j.edition
                     AND prev.classification = j.classification AND prev.year_be = j.year_be - 1
ORDER BY j.province_code, j.edition, j.year_be;

-- fct_gpp_area: NESDC's sector table for the areas that are not provinces (sub-regions, regions,
-- the kingdom; dim_gpp_area), official, so that a province reads against its region and the
-- country. grain: (area_code, year_be, classification, sector_code, price_basis, edition)
CREATE TABLE fct_gpp_area AS
SELECT area_level, area_code, year_be, classification, sector_code, price_basis, reference_year,
       value_million_baht, revision_flag, edition, provenance, source_ref, _file, _row
FROM stg_gpp__nesdc_sector WHERE area_level <> 'province';

-- mart_gpp_area_total: the totals of those areas per year: current prices, chain volume, nominal
-- and real growth (%), implicit deflator (cp / cvm x 100), as mart_gpp_total for a province.
CREATE TABLE mart_gpp_area_total AS
WITH t AS (
    SELECT a.area_level, a.area_code, a.year_be, a.edition, d.name_th, d.name_en,
           max(a.value_million_baht) FILTER (WHERE a.price_basis = 'cp') AS gpp_cp,
           max(a.value_million_baht) FILTER (WHERE a.price_basis = 'cvm') AS gpp_cvm,
           max(a.revision_flag) AS revision_flag, max(a.source_ref) AS source_ref
    FROM fct_gpp_area a JOIN dim_gpp_area d USING (area_code)
    WHERE a.sector_code = 'TOTAL' GROUP BY ALL
)
SELECT t.*, 100 * t.gpp_cp / t.gpp_cvm AS deflator,
       100 * (t.gpp_cp / prev.gpp_cp - 1) AS nominal_growth_pct,
       100 * (t.gpp_cvm / prev.gpp_cvm - 1) AS real_growth_pct
FROM t LEFT JOIN t prev ON prev.area_code = t.area_code AND prev.edition = t.edition AND prev.year_be = t.year_be - 1
ORDER BY t.area_code, t.year_be;

-- mart_gpp_sector: area x year x classification x edition x sector, for provinces (fct_gpp:
-- official, sample or entered) and NESDC's other areas (fct_gpp_area): value added at current
-- prices and in chain volume, the share of GPP (current prices ONLY: chain volumes are not
-- additive, never summed), and the contribution to real growth in percentage points, the
-- standard approximation for annually chain-linked volumes (NESDC publishes no contributions in
-- this table): the section's share of the previous year's current-price GPP times its own
-- chain-volume growth,
--   contribution_i,t = VA^cp_i,t-1 / GPP^cp_t-1 x (VA^cvm_i,t / VA^cvm_i,t-1 - 1) x 100
-- (they sum to real growth up to a residual the page shows); none when the section's previous
-- chain volume is 0 (a section NESDC shows as 0, e.g. Bangkok's mining: growth undefined).
-- The share's denominator is the
-- published total of the same edition when there is one, else the sum of the sectors.
-- rank_share: the share's rank among the provinces of the same edition and year (1 = largest).
-- province_code is the area's code for a province, NULL for another area.
CREATE TABLE mart_gpp_sector AS
WITH g AS (
    SELECT 'province' AS area_level, province_code AS area_code, year_be, classification, edition, sector_code,
           price_basis, value_million_baht, provenance, revision_flag, source_ref
    FROM fct_gpp
    UNION ALL
    SELECT area_level, area_code, year_be, classification, edition, sector_code, price_basis, value_million_baht,
           provenance, revision_flag, source_ref
    FROM fct_gpp_area
), cp AS (SELECT * FROM g WHERE price_basis = 'cp' AND sector_code <> 'TOTAL'),
   cvm AS (SELECT * FROM g WHERE price_basis = 'cvm' AND sector_code <> 'TOTAL'),
   total AS (
    SELECT c.area_level, c.area_code, c.year_be, c.classification, c.edition,
           coalesce(max(t.value_million_baht), sum(c.value_million_baht)) AS gpp_cp,
           max(t.value_million_baht) IS NOT NULL AS published_total
    FROM cp c
    LEFT JOIN g t ON t.area_code = c.area_code AND t.year_be = c.year_be
         AND t.classification = c.classification AND t.edition = c.edition
         AND t.sector_code = 'TOTAL' AND t.price_basis = 'cp'
    GROUP BY ALL
), base AS (
    SELECT cp.area_level, cp.area_code, cp.year_be, cp.classification, cp.edition, cp.sector_code,
           cp.value_million_baht AS va_cp, cvm.value_million_baht AS va_cvm, cp.provenance, cp.revision_flag,
           cp.source_ref, 100 * cp.value_million_baht / t.gpp_cp AS share_pct, t.gpp_cp, t.published_total
    FROM cp
    JOIN total t USING (area_level, area_code, year_be, classification, edition)
    LEFT JOIN cvm USING (area_level, area_code, year_be, classification, edition, sector_code)
)
SELECT CASE WHEN b.area_level = 'province' THEN b.area_code END AS province_code, b.*,
       d.line_no, d.name_th, d.name_en, d.sector_group,
       100 * (prev.va_cp / prev.gpp_cp) * (b.va_cvm / NULLIF(prev.va_cvm, 0) - 1) AS contribution_pp,
       CASE WHEN b.area_level = 'province' THEN rank() OVER (
           PARTITION BY b.area_level, b.edition, b.classification, b.year_be, b.sector_code
           ORDER BY b.share_pct DESC) END AS rank_share,
       CASE WHEN b.area_level = 'province' THEN count(*) OVER (
           PARTITION BY b.area_level, b.edition, b.classification, b.year_be, b.sector_code) END AS ranked
FROM base b
JOIN dim_gpp_sector d USING (classification, sector_code)
LEFT JOIN base prev ON prev.area_code = b.area_code AND prev.edition = b.edition
                   AND prev.classification = b.classification AND prev.sector_code = b.sector_code
                   AND prev.year_be = b.year_be - 1
ORDER BY b.area_code, b.edition, b.year_be, d.line_no;

-- Official province-level indicators of every province (NESDC HAI, tourism, BOI applications), for
-- reading a province's economy beside them on /gpp: each value as published, its rank among the
-- provinces published that year (1 = best by the indicator's direction), and the median of the
-- kingdom's provinces and of the province's region (NESDC's, as the GPP ranks and comparisons;
-- the DOPA region only for a province NESDC does not place).
-- grain: (indicator_code, year_be, province_code)
CREATE TABLE mart_indicator_province AS
WITH v AS (
    SELECT o.indicator_code, o.year_be, o.area_code AS province_code, o.value, i.direction,
           coalesce(a.region_code, p.region) AS region, o.source_ref
    FROM stg_indicator__official o
    JOIN dim_indicator i USING (indicator_code)
    JOIN dim_province p ON p.province_code = o.area_code
    LEFT JOIN dim_gpp_area a ON a.area_code = o.area_code AND a.area_level = 'province'
    WHERE i.area_level = 'province' AND o.value IS NOT NULL
)
SELECT indicator_code, year_be, province_code, region, value,
       CAST(rank() OVER (PARTITION BY indicator_code, year_be
                         ORDER BY CASE WHEN direction = 'lower' THEN value ELSE -value END) AS INTEGER) AS rank,
       CAST(count(*) OVER (PARTITION BY indicator_code, year_be) AS INTEGER) AS ranked,
       median(value) OVER (PARTITION BY indicator_code, year_be) AS kingdom_median,
       median(value) OVER (PARTITION BY indicator_code, year_be, region) AS region_median,
       'official' AS provenance, source_ref
FROM v
ORDER BY indicator_code, year_be, province_code;

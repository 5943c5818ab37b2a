-- GPP analysis, the formulas once (../shared/docs/DOMAIN.md §1). Growth is only ever computed
-- between consecutive years of the same edition (never across editions: no silent splice).
--
-- mart_gpp_total: province x year x edition: current-price GPP (with its p/r flag and
-- provenance), the chain-volume total when loaded, nominal and real growth (%), the implicit
-- deflator (cp / cvm x 100), NESDC population and GPP per capita (baht), and ranks among all
-- provinces and within the region (by GPP and by per capita).
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
           p.name_th, p.name_en,
           CASE WHEN pop.population > 0 THEN cp.gpp_cp * 1e6 / pop.population END AS per_capita_baht,
           CASE WHEN cvm.gpp_cvm > 0 THEN 100 * cp.gpp_cp / cvm.gpp_cvm END AS deflator
    FROM cp
    JOIN dim_province p USING (province_code)
    LEFT JOIN cvm USING (province_code, year_be, classification, edition)
    LEFT JOIN pop USING (province_code, year_be)
)
SELECT j.*,
       100 * (j.gpp_cp / prev.gpp_cp - 1) AS nominal_growth_pct,
       100 * (j.gpp_cvm / prev.gpp_cvm - 1) AS real_growth_pct,
       rank() OVER (PARTITION BY j.edition, j.year_be ORDER BY j.gpp_cp DESC) AS rank_gpp,
       count(*) OVER (PARTITION BY j.edition, j.year_be) AS provinces,
       rank() OVER (PARTITION BY j.edition, j.year_be, j.region ORDER BY j.gpp_cp DESC) AS rank_gpp_region,
       count(*) OVER (PARTITION BY j.edition, j.year_be, j.region) AS provinces_region,
       CASE WHEN j.per_capita_baht IS NOT NULL THEN rank() OVER (
           PARTITION BY j.edition, j.year_be, j.per_capita_baht IS NULL ORDER BY j.per_capita_baht DESC) END
           AS rank_per_capita,
       CASE WHEN j.per_capita_baht IS NOT NULL THEN rank() OVER (
           PARTITION BY j.edition, j.year_be, j.region, j.per_capita_baht IS NULL ORDER BY j.per_capita_baht DESC) END
           AS rank_per_capita_region
FROM joined j
LEFT JOIN joined prev ON prev.province_code = j.province_code AND prev.edition = j.edition
                     AND prev.classification = j.classification AND prev.year_be = j.year_be - 1
ORDER BY j.province_code, j.edition, j.year_be;

-- mart_gpp_sector: province x year x classification x edition x sector: value added at current
-- prices and in chain volume, the share of GPP (current prices ONLY: chain volumes are not
-- additive), and the contribution to real growth in percentage points:
--   contribution_i,t = VA^cp_i,t-1 / GPP^cp_t-1 x (VA^cvm_i,t / VA^cvm_i,t-1 - 1) x 100
-- The share's denominator is the published total of the same edition when there is one, else
-- the sum of the sectors.
CREATE TABLE mart_gpp_sector AS
WITH s AS (
    SELECT g.province_code, g.year_be, g.classification, g.edition, g.sector_code, g.price_basis,
           g.value_million_baht, g.provenance, g.revision_flag
    FROM fct_gpp g WHERE g.sector_code <> 'TOTAL'
), cp AS (SELECT * FROM s WHERE price_basis = 'cp'),
   cvm AS (SELECT * FROM s WHERE price_basis = 'cvm'),
   total AS (
    SELECT c.province_code, c.year_be, c.classification, c.edition,
           coalesce(max(t.value_million_baht), sum(c.value_million_baht)) AS gpp_cp,
           max(t.value_million_baht) IS NOT NULL AS published_total
    FROM cp c
    LEFT JOIN fct_gpp t ON t.province_code = c.province_code AND t.year_be = c.year_be
         AND t.classification = c.classification AND t.edition = c.edition
         AND t.sector_code = 'TOTAL' AND t.price_basis = 'cp'
    GROUP BY ALL
), base AS (
    SELECT cp.province_code, cp.year_be, cp.classification, cp.edition, cp.sector_code,
           cp.value_million_baht AS va_cp, cvm.value_million_baht AS va_cvm, cp.provenance, cp.revision_flag,
           100 * cp.value_million_baht / t.gpp_cp AS share_pct, t.gpp_cp, t.published_total
    FROM cp
    JOIN total t USING (province_code, year_be, classification, edition)
    LEFT JOIN cvm USING (province_code, year_be, classification, edition, sector_code)
)
SELECT b.*, d.line_no, d.name_th, d.name_en, d.sector_group,
       100 * (prev.va_cp / prev.gpp_cp) * (b.va_cvm / prev.va_cvm - 1) AS contribution_pp
FROM base b
JOIN dim_gpp_sector d USING (classification, sector_code)
LEFT JOIN base prev ON prev.province_code = b.province_code AND prev.edition = b.edition
                   AND prev.classification = b.classification AND prev.sector_code = b.sector_code
                   AND prev.year_be = b.year_be - 1
ORDER BY b.province_code, b.edition, b.year_be, d.line_no;

-- The snapshot itself. grain: one row
CREATE TABLE meta_snapshot AS
SELECT version, built_at, CAST(as_of AS DATE) AS as_of, CAST(NULL AS DOUBLE) AS build_seconds, province_code
FROM raw_snapshot;

-- Every load recorded in the ops store (accepted and rejected). grain: load_id
CREATE TABLE meta_load AS SELECT * FROM raw_load_lineage;

-- Every file this snapshot was built from. grain: file_name
CREATE TABLE meta_build_file AS SELECT * FROM raw_build_files;

-- Every dataset with its provenance mix, edition, source, row counts and last load.
-- grain: one row per dataset
CREATE TABLE meta_dataset AS
WITH counts AS (
    SELECT dataset, provenance, rows FROM raw_dataset_counts
    UNION ALL SELECT 'geography', 'official', count(*) FROM geo_shape
    UNION ALL SELECT 'gpp_official', 'official', count(*) FROM fct_gpp WHERE provenance = 'official'
    UNION ALL SELECT 'population', 'official', count(*) FROM fct_population
    UNION ALL SELECT 'indicators_official', 'official', count(*) FROM stg_indicator__official
), per_dataset AS (
    SELECT dataset,
           sum(rows) AS rows,
           sum(rows) FILTER (WHERE provenance = 'official') AS official_rows,
           sum(rows) FILTER (WHERE provenance = 'sample') AS sample_rows,
           sum(rows) FILTER (WHERE provenance = 'entered') AS entered_rows
    FROM counts GROUP BY dataset
), files AS (
    SELECT dataset, count(*) AS files, max(modified_at) AS last_file FROM raw_build_files GROUP BY dataset
), loads AS (
    SELECT dataset, max(loaded_at) AS last_loaded FROM raw_load_lineage
    WHERE result = 'accepted' GROUP BY dataset
)
SELECT r.dataset, r.name_th, r.name_en,
       CASE WHEN coalesce(p.rows, 0) = 0 THEN 'empty'
            WHEN coalesce(p.official_rows, 0) = p.rows THEN 'official'
            WHEN coalesce(p.sample_rows, 0) = p.rows THEN 'sample'
            WHEN coalesce(p.entered_rows, 0) = p.rows THEN 'entered'
            ELSE 'mixed' END AS provenance,
       coalesce(r.edition, (SELECT string_agg(DISTINCT edition, '; ' ORDER BY edition)
                            FROM raw_gpp_sector g WHERE r.dataset = 'gpp_sector')) AS edition,
       coalesce(r.source_th, (SELECT string_agg(DISTINCT c.sources, '; ') FROM raw_dataset_counts c
                              WHERE c.dataset = r.dataset)) AS source_th,
       coalesce(r.source_en, (SELECT string_agg(DISTINCT c.sources, '; ') FROM raw_dataset_counts c
                              WHERE c.dataset = r.dataset)) AS source_en,
       coalesce(p.rows, 0) AS rows, coalesce(p.official_rows, 0) AS official_rows,
       coalesce(p.sample_rows, 0) AS sample_rows, coalesce(p.entered_rows, 0) AS entered_rows,
       coalesce(f.files, 0) AS files,
       coalesce(l.last_loaded, (SELECT built_at FROM raw_snapshot)) AS last_loaded
FROM raw_dataset_registry r
LEFT JOIN per_dataset p USING (dataset)
LEFT JOIN files f USING (dataset)
LEFT JOIN loads l USING (dataset)
ORDER BY r.dataset;

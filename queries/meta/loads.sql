-- The most recent load lineage rows (newest first). $limit: how many.
SELECT load_id, file_name, dataset, sha256, rows, loaded_by, loaded_at, result
FROM meta_load
ORDER BY loaded_at DESC, load_id DESC
LIMIT $limit

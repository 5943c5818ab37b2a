-- What the snapshot says about the datasets behind the open data: provenance, edition, source and
-- the last load (the API's "last_update").
SELECT dataset, provenance, edition, source_th, source_en, rows, last_loaded
FROM meta_dataset
ORDER BY dataset

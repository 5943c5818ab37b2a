-- Every dataset in the snapshot with its provenance, edition, source and row counts.
SELECT dataset, name_th, name_en, provenance, edition, source_th, source_en,
       rows, official_rows, sample_rows, entered_rows, files, last_loaded
FROM meta_dataset
ORDER BY dataset

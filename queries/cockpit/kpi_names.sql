-- The KPIs a reader may read (db.py keeps only those of the reader's classifications), with their
-- names: what the overview's "since the last meeting" lists may name.
SELECT kpi_code, name_th, name_en, provenance FROM dim_kpi ORDER BY kpi_code

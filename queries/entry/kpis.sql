-- KPIs a figure can be entered for, with what the entry form needs to check it: the passport's
-- unit, owner, aggregation, direction and classification, whether the unit counts whole things
-- (is_count) and the KPI's own entry ceiling (entry_ceiling_multiple). Every column of the passport
-- is taken, so a snapshot built before a column existed still answers (ops/entry.py reads a
-- missing one as none).
SELECT * FROM dim_kpi ORDER BY kpi_code

-- The KPIs a reader may be told about (db.py keeps only those of the reader's classifications):
-- owner unit, names, and the provenance of the results their lights are judged on.
SELECT k.kpi_code, k.owner_unit, k.name_th, k.name_en,
       (SELECT string_agg(DISTINCT a.provenance, '; ') FROM fct_kpi_actual a WHERE a.kpi_code = k.kpi_code)
           AS provenance
FROM dim_kpi k
ORDER BY k.kpi_code

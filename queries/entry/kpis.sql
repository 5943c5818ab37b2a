-- KPIs a figure can be entered for, with what the entry form needs to check it.
SELECT kpi_code, name_th, name_en, unit, owner_unit, frequency, aggregation, direction, classification
FROM dim_kpi ORDER BY kpi_code

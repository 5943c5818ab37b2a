-- One KPI's passport. $kpi: its code.
SELECT * FROM dim_kpi WHERE kpi_code = $kpi

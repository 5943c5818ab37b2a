-- Every KPI's classification (open / internal / secret): db.py hides what the reader may not see.
SELECT kpi_code, classification FROM dim_kpi

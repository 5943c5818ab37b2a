-- Every KPI's red line in $fy, from its criteria (components/reasons.py: "the score against the
-- red line"; a KPI without criteria that year has no row and takes the rules' default).
-- (kpi_code is selected so db.py hides a KPI the reader may not see, whatever asks.)
SELECT kpi_code, red_below FROM dim_kpi_criteria WHERE fiscal_year = $fy

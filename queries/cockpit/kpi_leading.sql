-- The leading KPIs of $kpi with their state at ($fy, $idx, $area), and whether each warns.
SELECT b.leading_kpi_code AS kpi_code, k.name_th, k.name_en, s.score, s.status,
       w.reason AS warning, k.provenance
FROM bridge_kpi_leading b
JOIN dim_kpi k ON k.kpi_code = b.leading_kpi_code
LEFT JOIN fct_kpi_status s ON s.kpi_code = b.leading_kpi_code AND s.fiscal_year = $fy AND s.fiscal_idx = $idx
                          AND s.area_code = $area
LEFT JOIN fct_kpi_leading_warning w ON w.kpi_code = b.lagging_kpi_code AND w.leading_kpi_code = b.leading_kpi_code
                                   AND w.fiscal_year = $fy AND w.month = s.month AND w.area_code = $area
WHERE b.lagging_kpi_code = $kpi
ORDER BY b.leading_kpi_code

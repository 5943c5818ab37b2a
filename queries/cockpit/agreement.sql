-- The performance agreement's weighted score at ($fy, $idx).
SELECT score, total_weight, scored_weight, kpis, kpis_scored
FROM fct_agreement_score
WHERE fiscal_year = $fy AND fiscal_idx = $idx

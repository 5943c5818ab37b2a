-- The performance agreement's weighted score in fiscal year $fy, month by month up to month $idx
-- (Oct = 1): the overview shows the last row as the score and every row as its path.
SELECT fiscal_idx, month, score, total_weight, scored_weight, kpis, kpis_scored
FROM fct_agreement_score
WHERE fiscal_year = $fy AND fiscal_idx <= $idx
ORDER BY fiscal_idx

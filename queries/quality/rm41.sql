-- RM 4.1 of fiscal year $fy: the combined index and its 1-5 level, with the parts.
SELECT * FROM mart_quality_rm41 WHERE fiscal_year = $fy

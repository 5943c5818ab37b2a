-- Every project in $fy at its latest month with an actual (or the first month when none),
-- red first.
SELECT p.*
FROM fct_project_status p
WHERE p.fiscal_year = $fy
QUALIFY p.fiscal_idx = coalesce(max(p.fiscal_idx) FILTER (WHERE p.status <> 'no_data') OVER (PARTITION BY p.project_code),
                                min(p.fiscal_idx) OVER (PARTITION BY p.project_code))
ORDER BY CASE p.status WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END,
         least(p.progress_pace, p.disbursement_pace) NULLS LAST, p.project_code

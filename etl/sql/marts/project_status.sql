-- Projects against their monthly plan, to date. grain: (project_code, fiscal_year, month)
-- pace = actual / planned (cumulative); a project's light is the worse of its progress and
-- disbursement lights: red below pace_red_below, green from pace_green_from
-- (data/seeds/cockpit_rules.csv); 'no_data' when the month has no actual yet; a plan of 0 to date
-- with nothing done is on plan.
CREATE TABLE fct_project_status AS
WITH rules AS (
    SELECT (SELECT value FROM stg_seed__rule WHERE rule = 'pace_red_below') AS red_below,
           (SELECT value FROM stg_seed__rule WHERE rule = 'pace_green_from') AS green_from
),
paced AS (
    SELECT p.*, fiscal_index(p.month) AS fiscal_idx, n.name_th, n.name_en, n.owner_unit, n.budget_baht,
           n.parent_code AS plan_code,
           CASE WHEN p.actual_progress_pct IS NULL THEN NULL
                WHEN p.planned_progress_pct > 0 THEN p.actual_progress_pct / p.planned_progress_pct
                ELSE 1.0 END AS progress_pace,
           CASE WHEN p.actual_disbursement_baht IS NULL THEN NULL
                WHEN p.planned_disbursement_baht > 0 THEN p.actual_disbursement_baht / p.planned_disbursement_baht
                ELSE 1.0 END AS disbursement_pace
    FROM fct_project_month p JOIN dim_strategy_node n ON n.node_code = p.project_code
),
lit AS (
    SELECT paced.*,
           CASE WHEN progress_pace IS NULL THEN NULL WHEN progress_pace < r.red_below THEN 'red'
                WHEN progress_pace < r.green_from THEN 'yellow' ELSE 'green' END AS progress_status,
           CASE WHEN disbursement_pace IS NULL THEN NULL WHEN disbursement_pace < r.red_below THEN 'red'
                WHEN disbursement_pace < r.green_from THEN 'yellow' ELSE 'green' END AS disbursement_status
    FROM paced, rules r
)
SELECT project_code, fiscal_year, month, fiscal_idx, period_date, name_th, name_en, owner_unit, plan_code,
       budget_baht, planned_progress_pct, actual_progress_pct, planned_disbursement_baht, actual_disbursement_baht,
       round(progress_pace, 4) AS progress_pace, round(disbursement_pace, 4) AS disbursement_pace,
       progress_status, disbursement_status,
       CASE WHEN progress_status IS NULL AND disbursement_status IS NULL THEN 'no_data'
            WHEN 'red' IN (progress_status, disbursement_status) THEN 'red'
            WHEN 'yellow' IN (progress_status, disbursement_status) THEN 'yellow'
            ELSE 'green' END AS status,
       provenance
FROM lit;

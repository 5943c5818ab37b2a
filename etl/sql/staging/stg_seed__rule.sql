-- Cockpit rules as data (data/seeds/cockpit_rules.csv): default status bands, project pace bands,
-- the reporting grace period, the leading-indicator warning threshold.
-- grain: one row per rule
CREATE TABLE stg_seed__rule AS
SELECT trim(rule) AS rule, CAST(value AS DOUBLE) AS value, trim(unit) AS unit, note_th, note_en
FROM raw_seed_rule;

-- The cockpit rules as data (data/seeds/cockpit_rules.csv).
SELECT rule, value, unit, note_th, note_en FROM dim_rule ORDER BY rule

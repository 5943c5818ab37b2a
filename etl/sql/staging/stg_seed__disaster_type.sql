-- grain: one row per disaster type code
CREATE TABLE stg_seed__disaster_type AS
SELECT trim(code) AS disaster_type, trim(name_th) AS name_th, trim(name_en) AS name_en
FROM raw_seed_disaster_type;

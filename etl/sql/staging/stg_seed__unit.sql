-- Every unit's English name: the counting units (data/seeds/count_units.csv) and the others
-- (data/seeds/units.csv: ร้อยละ percent, ไร่ rai, ล้านบาท million baht…). English pages show
-- unit_en (dim_kpi, dim_indicator); check unit_names fails the build for a unit without one.
-- grain: one row per unit (a unit in both files: count_units.csv's name)
CREATE TABLE stg_seed__unit AS
SELECT unit, arg_min(name_en, pri) AS name_en
FROM (
    SELECT trim(unit) AS unit, trim(name_en) AS name_en, 1 AS pri FROM raw_seed_count_unit
    UNION ALL
    SELECT trim(unit), trim(name_en), 2 FROM raw_seed_unit
)
WHERE coalesce(unit, '') <> '' AND coalesce(name_en, '') <> ''
GROUP BY unit;

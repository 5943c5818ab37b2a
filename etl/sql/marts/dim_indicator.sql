-- Integrated provincial-administration database catalogue.
-- grain: one row per group_code
CREATE TABLE dim_topic_group AS
SELECT group_code, name_th, name_en, domain, coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_topic_groups;

-- The indicators a public source publishes (etl/official.py OFFICIAL_INDICATORS: DOPA registered
-- population by district, NESDC HAI, tourism and BOI by province only) are official, open, and
-- take precedence over a catalogue row of the same code. area_level: the finest level the
-- figures exist at ('district': the districts and the province; 'province': the province only).
-- grain: one row per indicator_code
-- reported_by: 'district' = each district's editors enter its values; blank and official = 'province'
-- (ops/scope.py, docs/RULES.md section 12)
-- unit_en: the unit's English name (stg_seed__unit; NULL fails check unit_names)
CREATE TABLE dim_indicator AS
SELECT i.*, u.name_en AS unit_en
FROM (
SELECT indicator_code, group_code, name_th, name_en, unit, source_agency, 'yearly' AS frequency, direction,
       CAST(is_percent AS BOOLEAN) AS is_percent, 'open' AS classification, 'official' AS provenance,
       source_ref, area_level, 'province' AS reported_by
FROM raw_official_indicators
UNION ALL
SELECT indicator_code, group_code, name_th, name_en, unit, source_agency, frequency, direction,
       coalesce(is_percent, unit IN ('ร้อยละ', '%')) AS is_percent,
       coalesce(classification, 'internal') AS classification,      -- blank: internal, never public by omission
       coalesce(provenance, 'entered') AS provenance, source_ref, 'district' AS area_level,
       coalesce(reported_by, 'province') AS reported_by
FROM raw_indicators
WHERE indicator_code NOT IN (SELECT indicator_code FROM raw_official_indicators)
) i LEFT JOIN stg_seed__unit u ON u.unit = trim(i.unit);

-- Integrated provincial-administration database catalogue.
-- grain: one row per group_code
CREATE TABLE dim_topic_group AS
SELECT group_code, name_th, name_en, domain, coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_topic_groups;

-- grain: one row per indicator_code
CREATE TABLE dim_indicator AS
SELECT indicator_code, group_code, name_th, name_en, unit, source_agency, frequency, direction,
       coalesce(is_percent, unit IN ('ร้อยละ', '%')) AS is_percent,
       coalesce(classification, 'internal') AS classification,      -- blank: internal, never public by omission
       coalesce(provenance, 'entered') AS provenance, source_ref
FROM raw_indicators;

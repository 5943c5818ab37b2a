-- GD-Catalog (thai_gdc) metadata of the open datasets, read by web/catalog.py (queries/catalog/
-- gdc_datasets.sql) for the CKAN Action API under /api/3 and the DCAT documents. Lists (objective,
-- data_format, data_language) are ';'-separated in the seed; tag_string is CKAN's comma list.
-- grain: one row per open dataset (name = the /api/v1 dataset's name)
CREATE TABLE dim_gdc_dataset AS
SELECT name, title_th, title_en, data_type,
       objective, update_frequency_unit,
       TRY_CAST(update_frequency_interval AS INTEGER) AS update_frequency_interval,
       geo_coverage, data_source, data_format, data_category, license_id,
       nullif(license_id_other, '') AS license_id_other,
       maintainer, maintainer_email, tag_string, notes,
       lower(allow_harvest) = 'true' AS allow_harvest,
       TRY_CAST(first_year_of_data AS INTEGER) AS first_year_of_data,
       nullif(data_language, '') AS data_language,
       TRY_CAST(nullif(s9_category, '') AS INTEGER) AS s9_category
FROM stg_seed__gdc_dataset
WHERE coalesce(name, '') <> ''
QUALIFY row_number() OVER (PARTITION BY name ORDER BY _row) = 1;

-- The thai_gdc metadata of every open dataset (data/seeds/gdc_datasets.csv): the fields GD-Catalog's
-- schema (ckanext-thai_gdc ckan_dataset.json) asks of each dataset the open-data API serves
-- (web/api.py DATASETS), trimmed; check gdc_datasets fails the build naming file, row and column
-- when one is missing or empty, or a value is not one of the schema's choices.
-- grain: one row per line of the file (name is unique once the check passes)
CREATE TABLE stg_seed__gdc_dataset AS
SELECT _row,
       trim(name) AS name,
       trim(title_th) AS title_th,
       trim(title_en) AS title_en,
       trim(data_type) AS data_type,
       trim(objective) AS objective,
       trim(update_frequency_unit) AS update_frequency_unit,
       trim(update_frequency_interval) AS update_frequency_interval,
       trim(geo_coverage) AS geo_coverage,
       trim(data_source) AS data_source,
       trim(data_format) AS data_format,
       trim(data_category) AS data_category,
       trim(license_id) AS license_id,
       trim(license_id_other) AS license_id_other,
       trim(maintainer) AS maintainer,
       trim(maintainer_email) AS maintainer_email,
       trim(tag_string) AS tag_string,
       trim(notes) AS notes,
       trim(allow_harvest) AS allow_harvest,
       trim(first_year_of_data) AS first_year_of_data,
       trim(data_language) AS data_language,
       trim(s9_category) AS s9_category
FROM raw_seed_gdc_dataset;

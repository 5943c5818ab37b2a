-- GD-Catalog (thai_gdc) metadata of the open datasets (data/seeds/gdc_datasets.csv, dim_gdc_dataset):
-- web/catalog.py serves only the rows whose name is a dataset of the open-data API (web/api.py).
SELECT name, title_th, title_en, data_type, objective, update_frequency_unit, update_frequency_interval,
       geo_coverage, data_source, data_format, data_category, license_id, license_id_other, maintainer,
       maintainer_email, tag_string, notes, allow_harvest, first_year_of_data, data_language, s9_category
FROM dim_gdc_dataset
ORDER BY name

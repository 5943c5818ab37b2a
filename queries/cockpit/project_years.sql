-- Fiscal years with project plans, newest first.
SELECT DISTINCT fiscal_year FROM fct_project_status ORDER BY fiscal_year DESC

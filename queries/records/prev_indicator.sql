-- The previous year's value of a provincial indicator in an area: what a new value is compared with.
SELECT value AS prev_value
FROM fct_indicator_value
WHERE indicator_code = $code AND area_code = $area AND year_be = $year - 1

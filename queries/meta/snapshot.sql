-- The snapshot this warehouse file is: one row (the newest if there were more).
SELECT version, built_at, as_of, build_seconds, province_code
FROM meta_snapshot
ORDER BY built_at DESC
LIMIT 1

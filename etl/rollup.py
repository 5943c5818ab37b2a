"""Roll-up of KPI scores up the strategy hierarchy, a build step after the SQL marts.

A node's score is the weighted mean of its children's scores: the main KPIs linked to it
(``bridge_kpi_node.weight``) and its child nodes (``dim_strategy_node.weight``), both default 1.
Children without a score (no data, late, no criteria) are left out and the weights of the rest
renormalised; a node none of whose children has a score has none either. Sub-KPIs are detail of
their main KPI and do not count again. The hierarchy may be any depth, so the roll-up runs one
SQL statement per depth, deepest first (a single recursive query cannot renormalise per level).
Writes ``fct_node_score`` (node_code, fiscal_year, month, fiscal_idx, area_code, score, status,
children, children_scored).
"""

from __future__ import annotations

import duckdb

DEPTHS = """
CREATE OR REPLACE TABLE int_node_depth AS
WITH RECURSIVE d(node_code, depth) AS (
    SELECT node_code, 0 FROM dim_strategy_node WHERE parent_code IS NULL
    UNION ALL
    SELECT n.node_code, d.depth + 1 FROM dim_strategy_node n JOIN d ON n.parent_code = d.node_code
)
SELECT node_code, max(depth) AS depth FROM d GROUP BY node_code
"""

CREATE = """
CREATE OR REPLACE TABLE fct_node_score (
    node_code VARCHAR, fiscal_year INTEGER, month INTEGER, fiscal_idx INTEGER, area_code VARCHAR,
    score DOUBLE, status VARCHAR, children INTEGER, children_scored INTEGER)
"""

STEP = """
INSERT INTO fct_node_score
WITH children AS (
    SELECT l.node_code AS parent, s.fiscal_year, s.month, s.fiscal_idx, s.area_code, s.score, l.weight
    FROM bridge_kpi_node l
    JOIN dim_kpi k ON k.kpi_code = l.kpi_code AND k.parent_kpi_code IS NULL
    JOIN fct_kpi_status s ON s.kpi_code = l.kpi_code
    UNION ALL
    SELECT n.parent_code, c.fiscal_year, c.month, c.fiscal_idx, c.area_code, c.score, n.weight
    FROM fct_node_score c JOIN dim_strategy_node n ON n.node_code = c.node_code
    WHERE n.parent_code IS NOT NULL
),
agg AS (
    SELECT parent AS node_code, fiscal_year, month, fiscal_idx, area_code,
           -- exact decimal sums (the mean never depends on the order rows are added in), half up
           round4(sum(CAST(weight AS DECIMAL(38, 12)) * CAST(score AS DECIMAL(38, 12)))
                  / nullif(sum(CAST(weight AS DECIMAL(38, 12))) FILTER (WHERE score IS NOT NULL), 0)) AS score,
           count(*) AS children, count(score) AS children_scored
    FROM children
    WHERE parent IN (SELECT node_code FROM int_node_depth WHERE depth = $depth)
    GROUP BY ALL
)
SELECT node_code, fiscal_year, month, fiscal_idx, area_code, score,
       CASE WHEN score IS NULL THEN 'no_data'
            ELSE score_status(score, (SELECT value FROM stg_seed__rule WHERE rule = 'kpi_red_below'),
                              (SELECT value FROM stg_seed__rule WHERE rule = 'kpi_green_from')) END,
       children, children_scored
FROM agg
"""


def build_node_scores(con: duckdb.DuckDBPyConnection) -> int:
    """Create fct_node_score in `con`; returns its row count."""
    con.execute(DEPTHS)
    con.execute(CREATE)
    deepest = con.execute("SELECT coalesce(max(depth), -1) FROM int_node_depth").fetchone()[0]
    for depth in range(deepest, -1, -1):
        con.execute(STEP, {"depth": depth})
    con.execute("DROP TABLE int_node_depth")
    return con.execute("SELECT count(*) FROM fct_node_score").fetchone()[0]

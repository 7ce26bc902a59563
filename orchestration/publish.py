"""The analysts' copy: after each successful run, the public tables in a read-only file.

DuckDB admits one writing process per file, and while it writes no other process may open the
file, not even read-only. So the run ends by writing the public schemas (`marts`, `payments`,
`audit`) into `<warehouse>.analyst.duckdb`, built beside it under a temporary name and moved into
place atomically: analysts open that file read-only at any time, also while the next run writes.
"""


import os
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.faults import fault_point
from orchestration.policy import RUN_POLICY
from orchestration.resources import Warehouse
from orchestration.steps import report
from warehouse_schema import ensure_schema

PUBLIC_SCHEMAS = ("marts", "payments", "audit", "reference")


def analyst_copy_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + ".analyst.duckdb")


def publish_analyst_copy(con: duckdb.DuckDBPyConnection, warehouse: Path) -> tuple[Path, int]:
    """Copy every table and view of the public schemas into the analysts' file as a table (a
    mart such as `fct_participant_weeks` is a view over an internal table), and recreate the trace
    view there over the copied evidence; return the file and the number of tables copied."""
    target = analyst_copy_path(warehouse)
    staging = target.with_name(target.name + ".tmp")
    staging.unlink(missing_ok=True)
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema IN (SELECT unnest($s)) "
        "AND NOT (table_schema = 'audit' AND table_name = 'trace') "
        "ORDER BY table_schema, table_name", {"s": list(PUBLIC_SCHEMAS)}).fetchall()
    con.execute(f"ATTACH '{staging}' AS analyst_copy")
    try:
        for schema in sorted({s for s, _ in tables}):
            con.execute(f'CREATE SCHEMA analyst_copy."{schema}"')
        for schema, table in tables:
            con.execute(f'CREATE TABLE analyst_copy."{schema}"."{table}" AS SELECT * FROM "{schema}"."{table}"')
    finally:
        con.execute("DETACH analyst_copy")
    if any(schema == "payments" for schema, _ in tables):
        with duckdb.connect(str(staging)) as copy:
            ensure_schema(copy, "trace")   # the trace stays a view over the copied evidence
    fault_point("inside:publish")
    os.replace(staging, target)
    return target, len(tables)


@dg.asset(key=["analyst_copy"], **RUN_POLICY, group_name="payments", deps=[dg.AssetKey(["payments", "statements"])],
          description="Read-only copy of the public tables for analysts, published after each successful run.")
def analyst_copy(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        target, count = publish_analyst_copy(con, Path(warehouse.path))
    report(context, f"published: {count} tables in the analysts' copy {target}")
    fault_point("after:publish")
    return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(target)),
                                          "tables": dg.MetadataValue.int(count)})

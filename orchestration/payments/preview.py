"""A preview: what the run would issue, computed in a transaction that is rolled back.

The payment engine issues the month's statements inside the caller's transaction; a preview
reads back the statements, lines, budget entries and budget forecast it inserted, rolls everything back, and
keeps the copies in the `preview` schema (replaced by every preview, never published, not part of
the ledger). The command line prints them with the same tables as issued statements; the
`preview.run` row says which month and when.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pyarrow as pa

PREVIEW_SCHEMA = "preview"

#: What a preview keeps, as the queries that read it from the payments tables of the month.
MONTH_ROWS = {
    "statements": "SELECT * FROM payments.statements WHERE month = $m ORDER BY statement_id",
    "statement_lines": "SELECT l.* FROM payments.statement_lines l JOIN payments.statements s USING (statement_id) "
                       "WHERE s.month = $m ORDER BY l.statement_id, l.line_no",
    "budget_entries": "SELECT b.* FROM payments.budget_entries b JOIN payments.statements s USING (statement_id) "
                      "WHERE s.month = $m ORDER BY ALL",
    "budget_forecast": "SELECT * FROM payments.budget_forecast WHERE forecast_month = $m ORDER BY ALL",
}


def read_month(con: duckdb.DuckDBPyConnection, month: str) -> dict[str, pa.Table]:
    """The month's statements, lines, budget entries and forecast as the open transaction sees them."""
    return {name: con.sql(sql, params={"m": month}).to_arrow_table() for name, sql in MONTH_ROWS.items()}


def issued_statement_ids(con: duckdb.DuckDBPyConnection, month: str) -> set[str]:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
                         "AND table_schema = 'payments' AND table_name = 'statements'").fetchall()[0][0]
    if not exists:
        return set()
    return {r[0] for r in con.execute("SELECT statement_id FROM payments.statements WHERE month = $m",
                                      {"m": month}).fetchall()}


def keep_preview(con: duckdb.DuckDBPyConnection, month: str, tables: dict[str, pa.Table], *,
                 previewed_at: datetime, today: date) -> None:
    """Replace the `preview` schema's tables with this preview, in one transaction."""
    con.begin()
    try:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {PREVIEW_SCHEMA}")
        for name, table in tables.items():
            con.register("previewed_rows", table)
            try:
                con.execute(f"CREATE OR REPLACE TABLE {PREVIEW_SCHEMA}.{name} AS SELECT * FROM previewed_rows")
            finally:
                con.unregister("previewed_rows")
        con.execute(f"CREATE OR REPLACE TABLE {PREVIEW_SCHEMA}.run AS "
                    "SELECT CAST($m AS VARCHAR) AS month, CAST($at AS TIMESTAMP) AS previewed_at, "
                    "CAST($today AS DATE) AS today", {"m": month, "at": previewed_at, "today": today})
        con.commit()
    except BaseException:
        con.rollback()
        raise

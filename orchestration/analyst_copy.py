"""The analysts' copy: after each successful run, the public tables in a read-only file.

DuckDB admits one writing process per file, and while it writes no other process may open the
file, not even read-only. So the run ends by writing the public schemas (`marts`, `payments`,
`audit`, `reference`) into `<warehouse>.analyst.duckdb`, built beside it under a temporary name and
moved into place atomically: analysts open that file read-only at any time, also while the next
run writes (`docs/analysts.md`).

- **Readable by DuckDB 1.x**: the file is written with storage version v1.4.0 (file header
  number 67), which the DuckDB command-line client and the 1.x packages read, as does the product's
  own DuckDB.
- **Incremental**: the append-only tables (`APPEND_KEYS`: statements and everything issued with
  them, loads, evidence) only ever gain rows, whole statements or loads at a time. When the
  previous copy is of this warehouse, it is copied byte for byte to the temporary name and only
  the rows whose key is not in it yet are appended; the marts and other rebuilt tables are
  replaced. So a month's publish writes that month's rows, not every row ever issued.
- **Documented**: every table and column carries the description of the dbt docs
  (`COMMENT ON`, `orchestration/descriptions.py`).
- The evidence views (`warehouse_schema/trace.sql`, `audit.trace` among them) are views in the
  copy too, over the copied tables.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.descriptions import RelationDescription, public_descriptions
from orchestration.faults import fault_point
from warehouse_schema import schema_sql

PUBLIC_SCHEMAS = ("marts", "payments", "audit", "reference")

#: The storage format of the copy, and the number its file header then carries. DuckDB 1.x reads
#: header numbers 64 … 68; duckdb 2.0 writes a newer one unless told.
COPY_STORAGE_VERSION = "v1.4.0"
COPY_HEADER_VERSION = 67
READABLE_BY_DUCKDB_1 = range(64, 69)

_STATEMENT = ("statement_id",)
#: Append-only public tables and the key whose rows are always written together (one statement,
#: one load, one contract-month of evidence): the copy appends the keys it does not hold yet.
APPEND_KEYS: dict[tuple[str, str], tuple[str, ...]] = {
    **{("payments", t): _STATEMENT for t in (
        "statements", "statement_lines", "entitlement_items", "item_evidence", "statement_savings",
        "budget_entries", "budget_unbooked", "statement_inputs")},
    **{("audit", t): _STATEMENT for t in (
        "statement_evidence_runs", "statement_evidence_outcomes", "statement_evidence_persons",
        "statement_cohort")},
    ("payments", "budget_forecast"): ("forecast_month", "contract_id"),
    ("audit", "evidence_weeks"): ("contract_id", "from_month"),
    ("audit", "source_income_lines"): ("load_id",),
    ("audit", "source_referral_lines"): ("load_id",),
    ("audit", "loads"): ("load_id",),
    ("audit", "quarantine"): ("load_id",),
    ("audit", "warehouse_key"): ("key_fingerprint",),
}

#: The views of trace.sql: recreated in the copy over the copied tables, never copied as tables.
TRACE_VIEWS = tuple(
    tuple(name.split(".")) for name in re.findall(r"CREATE OR REPLACE VIEW (\S+) AS", schema_sql("trace")))


@dataclass(frozen=True)
class PublishResult:
    path: Path
    incremental: bool                    # False: written from scratch
    tables: int
    rows_written: dict[str, int] = field(default_factory=dict)   # "schema.table" -> rows written now

    def describe(self) -> str:
        total = sum(self.rows_written.values())
        return (f"published: {self.tables} tables in the analysts' copy {self.path} "
                f"({'incremental' if self.incremental else 'written in full'}; {total:,} rows written)")


def analyst_copy_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + ".analyst.duckdb")


def header_storage_version(path: Path) -> int | None:
    """The storage version number in a DuckDB file's header (bytes 8–11 'DUCK', then a
    little-endian 64-bit number), or None when the file is not a DuckDB database."""
    with open(path, "rb") as handle:
        head = handle.read(20)
    if len(head) < 20 or head[8:12] != b"DUCK":
        return None
    return struct.unpack("<Q", head[12:20])[0]


def _q(*parts: str) -> str:
    return ".".join(f'"{p}"' for p in parts)


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = $d AND schema_name = $s "
        "AND table_name = $t ORDER BY column_index", {"d": database, "s": schema, "t": table}).fetchall()


def _public_relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema IN (SELECT unnest($s)) "
        "ORDER BY table_schema, table_name", {"s": list(PUBLIC_SCHEMAS)}).fetchall()
    return [r for r in rows if r not in TRACE_VIEWS]


def _copy_continues(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the attached previous copy holds this warehouse's rows: the same pseudonym key and
    no statement the warehouse does not have."""
    def tables(database: str) -> set[tuple[str, str]]:
        return set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = $d",
                               {"d": database}).fetchall())
    here, there = tables(con.execute("SELECT current_database()").fetchall()[0][0]), tables("analyst_copy")
    key = ("audit", "warehouse_key")
    if key in here and key in there:
        ours = con.execute("SELECT list(key_fingerprint ORDER BY 1) FROM audit.warehouse_key").fetchall()
        theirs = con.execute("SELECT list(key_fingerprint ORDER BY 1) FROM analyst_copy.audit.warehouse_key").fetchall()
        if ours != theirs:
            return False
    statements = ("payments", "statements")
    if statements in there:
        if statements not in here:
            return False
        unknown = con.execute("SELECT count(*) FROM analyst_copy.payments.statements WHERE statement_id NOT IN "
                              "(SELECT statement_id FROM payments.statements)").fetchall()[0][0]
        return unknown == 0
    return True


def _comment(con: duckdb.DuckDBPyConnection, schema: str, table: str, described: RelationDescription | None) -> None:
    if described is None:
        return
    if described.description:
        con.execute(f"COMMENT ON TABLE analyst_copy.{_q(schema, table)} IS {_literal(described.description)}")
    present = {name for name, _ in _columns(con, "analyst_copy", schema, table)}
    for column, text in sorted(described.columns.items()):
        if column in present:
            con.execute(f"COMMENT ON COLUMN analyst_copy.{_q(schema, table, column)} IS {_literal(text)}")


def publish_analyst_copy(con: duckdb.DuckDBPyConnection, warehouse: Path, *,
                         descriptions: dict[tuple[str, str], RelationDescription] | None = None) -> PublishResult:
    """Write the analysts' copy of the warehouse open on `con` (see the module's docstring).
    `descriptions`: the comments to carry (default: the dbt docs, `public_descriptions()`)."""
    target = analyst_copy_path(warehouse)
    staging = target.with_name(target.name + ".tmp")
    staging.unlink(missing_ok=True)
    relations = _public_relations(con)
    incremental = target.exists() and header_storage_version(target) == COPY_HEADER_VERSION
    if incremental:
        shutil.copyfile(target, staging)
    con.execute(f"ATTACH '{staging}' AS analyst_copy (STORAGE_VERSION '{COPY_STORAGE_VERSION}')")
    written: dict[str, int] = {}
    try:
        if incremental and not _copy_continues(con):
            con.execute("DETACH analyst_copy")
            staging.unlink()
            incremental = False
            con.execute(f"ATTACH '{staging}' AS analyst_copy (STORAGE_VERSION '{COPY_STORAGE_VERSION}')")
        if descriptions is None:
            descriptions = public_descriptions()
        held = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                               "WHERE database_name = 'analyst_copy'").fetchall())
        for schema in sorted({s for s, _ in relations}):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS analyst_copy.{_q(schema)}")
        for schema, table in relations:
            source, copy = _q(schema, table), f"analyst_copy.{_q(schema, table)}"
            key = APPEND_KEYS.get((schema, table))
            if (key and (schema, table) in held
                    and _columns(con, "analyst_copy", schema, table) == _columns(
                        con, con.execute("SELECT current_database()").fetchall()[0][0], schema, table)):
                keys = ", ".join(f'"{k}"' for k in key)
                rows = con.execute(f"INSERT INTO {copy} SELECT * FROM {source} WHERE ({keys}) NOT IN "
                                   f"(SELECT DISTINCT {keys} FROM {copy})").fetchall()[0][0]
            else:
                rows = con.execute(f"CREATE OR REPLACE TABLE {copy} AS SELECT * FROM {source}").fetchall()[0][0]
            written[f"{schema}.{table}"] = rows
            _comment(con, schema, table, descriptions.get((schema, table)))
        gone = held - set(relations) - set(TRACE_VIEWS)
        for schema, table in sorted(gone):
            con.execute(f"DROP TABLE analyst_copy.{_q(schema, table)}")
    finally:
        con.execute("DETACH analyst_copy")
    if ("audit", "statement_evidence_runs") in relations and ("audit", "source_income_lines") in relations:
        with duckdb.connect(str(staging)) as copy:
            copy.execute(schema_sql("trace"))   # the evidence views and audit.trace, over the copied tables
    fault_point("inside:publish")
    os.replace(staging, target)
    return PublishResult(path=target, incremental=incremental, tables=len(relations), rows_written=written)

"""`outcome-ledger export`: the public tables of the latest completed run as Parquet files.

Reads the analysts' copy (`<warehouse>.analyst.duckdb`, written at the end of every successful
run, `orchestration/analyst_copy.py`), never the warehouse itself, so an export neither waits for nor
blocks a run that is writing. One file per table, `<schema>.<table>.parquet` (zstd), written under
a temporary name and moved into place. The views of the copy (`audit.trace` and the other
evidence views, `warehouse_schema/trace.sql`) are not exported: they are defined over exported
tables (`docs/analysts.md`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.errors import LedgerError
from orchestration.analyst_copy import PUBLIC_SCHEMAS, analyst_copy_path


class ExportRefused(LedgerError):
    """There is nothing to export, or the copy or the target folder cannot be used."""


@dataclass(frozen=True)
class ExportedTable:
    schema: str
    table: str
    rows: int
    path: Path


def default_export_dir(warehouse: Path) -> Path:
    return warehouse.parent / "export"


def parquet_name(schema: str, table: str) -> str:
    return f"{schema}.{table}.parquet"


def export_public_tables(warehouse: Path, out: Path | None = None) -> list[ExportedTable]:
    """Write every table of the public schemas of the analysts' copy of `warehouse` to `out`
    (default: `export/` beside the warehouse); remove Parquet files of public tables the copy no
    longer has. Returns what was written, in schema and table order."""
    copy = analyst_copy_path(Path(warehouse))
    target = Path(out) if out is not None else default_export_dir(Path(warehouse))
    if not copy.exists():
        raise ExportRefused(f"no analysts' copy at {copy}: it is written at the end of every successful run "
                            f"(run a month first)")
    try:
        con = duckdb.connect(str(copy), read_only=True)
    except duckdb.Error as error:
        raise ExportRefused(f"cannot open the analysts' copy {copy}: {error}") from None
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        con.close()
        raise ExportRefused(f"cannot create the export folder {target}: {error.strerror}") from None
    written: list[ExportedTable] = []
    with con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name IN (SELECT unnest($s)) ORDER BY schema_name, table_name",
            {"s": list(PUBLIC_SCHEMAS)}).fetchall()
        for schema, table in tables:
            path = target / parquet_name(schema, table)
            partial = path.with_name(path.name + ".tmp")
            con.execute(f"COPY (SELECT * FROM \"{schema}\".\"{table}\") TO '{partial}' "
                        f"(FORMAT parquet, COMPRESSION zstd)")
            os.replace(partial, path)
            rows = con.execute(f"SELECT count(*) FROM \"{schema}\".\"{table}\"").fetchall()[0][0]
            written.append(ExportedTable(schema, table, rows, path))
    kept = {parquet_name(s, t) for s, t in tables}
    for stale in target.glob("*.parquet"):
        if stale.name.split(".")[0] in PUBLIC_SCHEMAS and stale.name not in kept:
            stale.unlink()
    return written

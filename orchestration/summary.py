"""The readable summary `outcome-ledger run` prints after the job: loads, vintages, statements."""

from __future__ import annotations

import sys
from datetime import datetime

import duckdb

from orchestration.settings import Settings


def table(headers: list[str], rows: list[tuple], right: set[int] | None = None) -> str:
    """A plain-text table; columns in `right` are right-aligned (numbers)."""
    right = right or set()
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def load_summary(con: duckdb.DuckDBPyConnection, since: datetime) -> str:
    rows = con.execute(
        """
        SELECT source,
               count(*) FILTER (WHERE status = 'loaded') AS loaded,
               count(*) FILTER (WHERE status = 'skipped') AS skipped,
               count(*) FILTER (WHERE status = 'rejected') AS rejected,
               coalesce(sum(rows_loaded) FILTER (WHERE status = 'loaded'), 0) AS lines_loaded,
               coalesce(sum(rows_quarantined) FILTER (WHERE status = 'loaded'), 0) AS lines_quarantined
        FROM audit.loads WHERE loaded_at >= $since
        GROUP BY source ORDER BY source
        """, {"since": since}).fetchall()
    rejected = con.execute(
        "SELECT file_name, message FROM audit.loads WHERE loaded_at >= $since AND status = 'rejected' "
        "ORDER BY load_id", {"since": since}).fetchall()
    text = table(["source", "files loaded", "skipped", "rejected", "lines loaded", "lines quarantined"],
                 rows, right={1, 2, 3, 4, 5}) if rows else "no new files in the landing folder"
    if rejected:
        text += "\n\nRejected files:\n" + "\n".join(f"  {name}: {message}" for name, message in rejected)
    return text


def vintage_summary(con: duckdb.DuckDBPyConnection, month: str) -> str:
    rows = con.execute(
        "SELECT source, file_name, vintage, left(file_sha256, 12) || '…' FROM raw.selected_vintages "
        "WHERE run_month = $m ORDER BY source", {"m": month}).fetchall()
    return table(["source", "selected vintage", "as of", "sha256"], rows)


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = $s AND table_name = $n",
        {"s": schema, "n": name}).fetchall())


def print_load_summary(settings: Settings, since: datetime) -> None:
    """The loads of a run that was refused: what it loaded, skipped or rejected before stopping."""
    if not settings.warehouse.exists():
        return
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            if _has_table(con, "audit", "loads"):
                print("Loads before the run stopped:\n" + load_summary(con, since) + "\n", file=sys.stderr)
    except duckdb.Error:
        pass


def print_run_summary(settings: Settings, month: str, since: datetime) -> None:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        print(f"\n== outcome-ledger run {month} — warehouse {settings.warehouse}")
        print("\nLoads this run:\n" + load_summary(con, since))
        print("\nSelected vintages:\n" + vintage_summary(con, month))
        if _has_table(con, "payments", "statements"):
            from orchestration.payments.summary import statement_summary
            print("\n" + statement_summary(con, month))
            unchanged = con.execute(
                "SELECT count(*) FROM payments.statements WHERE month = $m AND issued_at < $since",
                {"m": month, "since": since}).fetchall()[0][0]
            if unchanged:
                print(f"({unchanged} statement(s) of {month} were issued before and are unchanged.)")

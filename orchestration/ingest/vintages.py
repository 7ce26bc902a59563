"""Vintage selection: which loaded file of each source a run for month M reads.

The selected vintage of a source is the loaded file with the latest as-of date on or before the
last day of M. The run is refused when a needed source has none, or when a rejected file (under a
name that is not loaded, still in the landing folder) would have been selected: the user must fix
that file first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.clock import month_end
from orchestration.errors import LedgerError
from orchestration.faults import fault_point
from orchestration.ingest.landing import SOURCES, landed_files


class RunRefused(LedgerError):
    """The month cannot be run on the landed evidence; the message says what to do."""


@dataclass(frozen=True)
class SelectedVintage:
    source: str
    load_id: int
    file_name: str
    file_sha256: str
    vintage: date
    coverage_start: date | None
    coverage_end: date | None


def select_vintages(con: duckdb.DuckDBPyConnection, month: str, landing: Path,
                    needed: tuple[str, ...]) -> dict[str, SelectedVintage]:
    """Select and record (`raw.selected_vintages`) the vintages of the run for `month`, and make
    it the current run (`raw.current_run`, which the dbt models read)."""
    end = month_end(month)
    selected: dict[str, SelectedVintage] = {}
    for source in SOURCES:
        rows = con.execute(
            "SELECT load_id, file_name, file_sha256, vintage, coverage_start, coverage_end "
            "FROM audit.loads WHERE source = $s AND status = 'loaded' AND vintage <= $end "
            "ORDER BY vintage DESC, load_id DESC LIMIT 1", {"s": source, "end": end}).fetchall()
        current = SelectedVintage(source, *rows[0]) if rows else None
        _refuse_if_rejected_file_would_be_selected(con, source, month, end, landing, current)
        if current is not None:
            selected[source] = current
        elif source in needed:
            raise RunRefused(
                f"no loaded {source} extract with an as-of date on or before {end} for the run of "
                f"{month}: land one in {landing / source}/ and run again"
            )
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM raw.selected_vintages WHERE run_month = $m", {"m": month})
    con.execute("DELETE FROM raw.current_run")
    con.execute("INSERT INTO raw.current_run VALUES ($m)", {"m": month})
    for v in selected.values():
        con.execute(
            "INSERT INTO raw.selected_vintages VALUES ($m, $s, $id, $n, $h, $v, $cs, $ce)",
            {"m": month, "s": v.source, "id": v.load_id, "n": v.file_name, "h": v.file_sha256,
             "v": v.vintage, "cs": v.coverage_start, "ce": v.coverage_end})
    fault_point("inside:vintages")
    con.execute("COMMIT")
    return selected


def _refuse_if_rejected_file_would_be_selected(con: duckdb.DuckDBPyConnection, source: str, month: str,
                                               end: date, landing: Path,
                                               current: SelectedVintage | None) -> None:
    present = [f.name for f in landed_files(landing, source)]
    if not present:
        return
    rows = con.execute(
        """
        SELECT file_name, vintage, message FROM (
            SELECT *, row_number() OVER (PARTITION BY file_name ORDER BY load_id DESC) AS latest
            FROM audit.loads WHERE source = $s) r
        WHERE latest = 1 AND status = 'rejected' AND vintage IS NOT NULL AND vintage <= $end
          AND file_name IN (SELECT unnest($present))
          AND file_name NOT IN (SELECT file_name FROM audit.loads WHERE status = 'loaded')
          AND ($current IS NULL OR vintage > $current)
        ORDER BY vintage DESC, file_name
        """,
        {"s": source, "end": end, "present": present,
         "current": current.vintage if current else None}).fetchall()
    if rows:
        name, _, message = rows[0]
        reason = message.removeprefix(f"{name}: ")   # the message names the file already
        raise RunRefused(
            f"{name} was rejected and would be the selected {source} vintage for {month}: {reason}. "
            f"Fix the file and deliver it again under the same name, then rerun {month}."
        )

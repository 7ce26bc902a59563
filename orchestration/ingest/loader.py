"""Loading the landing folder: file identity, whole-file rejection, row quarantine, one transaction
per file. A file is loaded whole (its valid lines) or not at all, and every outcome is recorded in
`audit.loads`."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable

import duckdb
import polars as pl

from orchestration.faults import fault_point
from orchestration.ingest import benefits, income, referrals
from orchestration.ingest.landing import LandedFile, landed_files
from orchestration.ingest.prepared import PreparedLoad
from orchestration.ingest.pseudonym import KeyMismatch, PseudonymKey, person_key_sql
from orchestration.ingest.reading import FileRejected
from warehouse_schema import ensure_schema

log = logging.getLogger(__name__)

DEFAULT_QUARANTINE_THRESHOLD = Decimal("0.05")

PREPARERS: dict[str, Callable[[LandedFile, bytes], PreparedLoad]] = {
    "referrals": referrals.prepare,
    "benefits": benefits.prepare,
    "income": income.prepare,
}


@dataclass(frozen=True)
class FileOutcome:
    source: str
    file_name: str
    file_sha256: str
    vintage: object
    status: str  # loaded | skipped (loaded before; not recorded again) | rejected
    message: str
    rows_read: int | None = None
    rows_loaded: int | None = None
    rows_quarantined: int | None = None
    load_id: int | None = None
    newly_recorded: bool = True


@dataclass
class SourceLoadSummary:
    source: str
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status and o.newly_recorded)

    @property
    def rows_loaded(self) -> int:
        return sum(o.rows_loaded or 0 for o in self.outcomes if o.status == "loaded")

    @property
    def rows_quarantined(self) -> int:
        return sum(o.rows_quarantined or 0 for o in self.outcomes if o.status == "loaded")


def warehouse_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint of the key the warehouse belongs to; None before its first load."""
    ensure_schema(con, "raw", "audit")
    row = con.execute("SELECT key_fingerprint FROM audit.warehouse_key LIMIT 1").fetchall()
    return row[0][0] if row else None


def ensure_key(con: duckdb.DuckDBPyConnection, key: PseudonymKey) -> None:
    """Refuse a warehouse that belongs to another key. (A warehouse belongs to the key of its
    first load: the fingerprint is recorded with it, in the same transaction.)"""
    con.execute("SET enable_progress_bar = false")
    fingerprint = warehouse_fingerprint(con)
    if fingerprint is not None and fingerprint != key.fingerprint:
        raise KeyMismatch(
            f"this warehouse was built under another pseudonym key (fingerprint {fingerprint}, "
            f"this key {key.fingerprint}); set OUTCOME_LEDGER_PSEUDONYM_KEY, or "
            f"OUTCOME_LEDGER_KEY_FILE to the key file, of the warehouse's key"
        )


def _record_key(con: duckdb.DuckDBPyConnection, key: PseudonymKey) -> None:
    if warehouse_fingerprint(con) is None:
        con.execute("INSERT INTO audit.warehouse_key VALUES ($fp, $now)", {"fp": key.fingerprint, "now": _now()})


def ingest_source(con: duckdb.DuckDBPyConnection, source: str, landing: Path, key: PseudonymKey,
                  threshold: Decimal = DEFAULT_QUARANTINE_THRESHOLD) -> SourceLoadSummary:
    """Load every new file of `source` in the landing folder; record every outcome."""
    ensure_key(con, key)
    summary = SourceLoadSummary(source)
    loaded = dict(con.execute(
        "SELECT file_name, file_sha256 FROM audit.loads WHERE source = $s AND status = 'loaded'",
        {"s": source}).fetchall())
    loaded_stems = {Path(name).stem: name for name in loaded}
    recorded = {tuple(r) for r in con.execute(
        "SELECT file_name, file_sha256, status FROM audit.loads WHERE source = $s", {"s": source}).fetchall()}
    files = landed_files(landing, source)
    unloaded_stems = Counter(f.stem for f in files if f.name not in loaded)
    for file in files:
        try:
            sha = file.sha256()
        except OSError as error:
            sha, unreadable = "", f"{file.name}: cannot be read ({error.strerror or type(error).__name__})"
        else:
            unreadable = None
        if unreadable:
            outcome = _reject(file, sha, unreadable)
        elif file.name_error:
            outcome = _reject(file, sha, file.name_error)
        elif file.name in loaded:
            if loaded[file.name] == sha:
                # Loaded before: reported in the run's summary, not recorded again. (A row per
                # re-sighting would make the loads of a rerun after a crash differ from those of an
                # uninterrupted run: docs/ingest.md.)
                summary.outcomes.append(FileOutcome(source, file.name, sha, file.vintage, "skipped",
                                                    "identical to the loaded file of this name",
                                                    newly_recorded=False))
                continue
            else:
                outcome = _reject(file, sha, (
                    f"{file.name}: a different file under the name of a loaded file; the loaded file "
                    f"stays the vintage. Deliver corrections under a new name (a later vintage)."))
        elif file.stem in loaded_stems:
            outcome = _reject(file, sha, (
                f"{file.name}: this vintage is already loaded as {loaded_stems[file.stem]}; "
                f"a second format of a loaded vintage is not read"))
        elif unloaded_stems[file.stem] > 1:
            outcome = _reject(file, sha, (
                f"{file.name}: the vintage arrived both as CSV and as Parquet; neither is loaded — "
                f"remove one of them"))
        elif (file.name, sha, "rejected") in recorded:
            message = con.execute(
                "SELECT message FROM audit.loads WHERE file_name = $n AND file_sha256 = $h "
                "AND status = 'rejected' ORDER BY load_id DESC LIMIT 1", {"n": file.name, "h": sha}
            ).fetchall()[0][0]
            outcome = _reject(file, sha, message)
        else:
            outcome = _load(con, file, sha, threshold, key)
            summary.outcomes.append(outcome)
            continue
        if (file.name, sha, outcome.status) in recorded:
            outcome = FileOutcome(**{**outcome.__dict__, "newly_recorded": False})
        else:
            _record(con, outcome, file, threshold)
            recorded.add((file.name, sha, outcome.status))
        summary.outcomes.append(outcome)
    return summary


def _reject(file: LandedFile, sha: str, message: str) -> FileOutcome:
    return FileOutcome(file.source, file.name, sha, file.vintage, "rejected", message)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM audit.loads").fetchall()[0][0]


def _record(con: duckdb.DuckDBPyConnection, outcome: FileOutcome, file: LandedFile, threshold: Decimal,
            prepared: PreparedLoad | None = None) -> int:
    load_id = outcome.load_id or _next_load_id(con)
    con.execute(
        "INSERT INTO audit.loads VALUES ($id, $source, $name, $sha, $vintage, $read, $loaded, $quarantined, "
        "$status, $message, $at, $fmt, $cov_start, $cov_end, $threshold)",
        {"id": load_id, "source": outcome.source, "name": outcome.file_name, "sha": outcome.file_sha256,
         "vintage": outcome.vintage, "read": outcome.rows_read, "loaded": outcome.rows_loaded,
         "quarantined": outcome.rows_quarantined, "status": outcome.status, "message": outcome.message,
         "at": _now(), "fmt": file.file_format,
         "cov_start": prepared.coverage_start if prepared and outcome.status == "loaded" else None,
         "cov_end": prepared.coverage_end if prepared and outcome.status == "loaded" else None,
         "threshold": threshold},
    )
    return load_id


def _load(con: duckdb.DuckDBPyConnection, file: LandedFile, sha: str, threshold: Decimal,
          key: PseudonymKey) -> FileOutcome:
    key_parameters = key.sql_parameters()
    try:
        prepared = PREPARERS[file.source](file, _read(file))
    except FileRejected as rejected:
        outcome = _reject(file, sha, str(rejected))
        con.execute("BEGIN TRANSACTION")
        _record(con, outcome, file, threshold)
        con.execute("COMMIT")
        log.warning("rejected %s", outcome.message)
        return outcome
    counts = {"rows_read": prepared.rows_read, "rows_quarantined": prepared.rows_quarantined}
    too_many = Decimal(prepared.rows_quarantined) > threshold * prepared.rows_read
    if too_many:
        message = (f"{file.name}: {prepared.rows_quarantined} of {prepared.rows_read} data lines quarantined, "
                   f"more than the threshold of {threshold:%} (see audit.quarantine for each line)")
        outcome = FileOutcome(file.source, file.name, sha, file.vintage, "rejected", message,
                              rows_loaded=0, **counts)
    elif prepared.rows_loaded == 0:
        outcome = FileOutcome(file.source, file.name, sha, file.vintage, "rejected",
                              f"{file.name}: no valid data lines", rows_loaded=0, **counts)
    else:
        note = (f"; {prepared.rows_quarantined} line(s) quarantined (see audit.quarantine)"
                if prepared.rows_quarantined else "")
        outcome = FileOutcome(file.source, file.name, sha, file.vintage, "loaded", f"loaded{note}",
                              rows_loaded=prepared.rows_loaded, **counts)
    con.execute("BEGIN TRANSACTION")
    try:
        _record_key(con, key)
        load_id = _next_load_id(con)
        outcome = FileOutcome(**{**outcome.__dict__, "load_id": load_id})
        _record(con, outcome, file, threshold, prepared)
        _insert_quarantine(con, load_id, file.name, prepared.quarantine, key_parameters)
        if outcome.status == "loaded":
            for table, frame in prepared.tables.items():
                _insert_rows(con, table, load_id, sha, frame, key_parameters,
                             prepared.person_key_by_line.get(table))
            if file.source == "income":
                _allocate_income(con, load_id, file.name)
        fault_point(f"inside:{file.source}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if outcome.status == "rejected":
        log.warning("rejected %s", outcome.message)
    return outcome


def _read(file: LandedFile) -> bytes:
    try:
        return file.path.read_bytes()
    except OSError as error:
        raise FileRejected(f"{file.name}: cannot be read ({error.strerror or type(error).__name__})") from None


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, load_id: int, sha: str, frame: pl.DataFrame,
                 key_parameters: dict[str, bytes], person_key_table: str | None = None) -> None:
    """Insert a prepared frame; its `cpr10` column becomes `person_key` (HMAC computed once per
    distinct CPR), or the person key is taken from `person_key_table` by line number."""
    columns = [c for c in frame.columns if c not in ("line_number", "cpr10")]
    has_line = "line_number" in frame.columns
    target = ["load_id"] + (["file_sha256", "line_number"] if has_line else []) + columns
    source = ["$load_id"] + (["$sha", "i.line_number"] if has_line else []) + [f"i.{c}" for c in columns]
    params: dict[str, object] = {"load_id": load_id, **({"sha": sha} if has_line else {})}
    con.register("incoming", frame.to_arrow())
    try:
        if "cpr10" in frame.columns:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE incoming_keys AS SELECT cpr10, {person_key_sql('cpr10')} AS person_key "
                "FROM (SELECT DISTINCT cpr10 FROM incoming WHERE cpr10 IS NOT NULL)", key_parameters)
            joined = "incoming i LEFT JOIN incoming_keys k ON k.cpr10 = i.cpr10"
        elif person_key_table is not None:
            joined = (f"incoming i JOIN {person_key_table} k ON k.load_id = $load_id "
                      "AND k.line_number = i.line_number")
        else:
            joined = "incoming i"
        if "cpr10" in frame.columns or person_key_table is not None:
            target.append("person_key")
            source.append("k.person_key")
        con.execute(f"INSERT INTO {table} ({', '.join(target)}) SELECT {', '.join(source)} FROM {joined}", params)
    finally:
        con.unregister("incoming")
        con.execute("DROP TABLE IF EXISTS incoming_keys")


def _insert_quarantine(con: duckdb.DuckDBPyConnection, load_id: int, file_name: str, records: pl.DataFrame,
                       key_parameters: dict[str, bytes]) -> None:
    if not records.height:
        return
    con.register("incoming", records.to_arrow())
    try:
        con.execute(
            "INSERT INTO audit.quarantine SELECT $load_id, $file_name, line_number, column_name, reason, "
            f"{person_key_sql('cpr10')} FROM incoming ORDER BY line_number, column_name",
            {"load_id": load_id, "file_name": file_name, **key_parameters},
        )
    finally:
        con.unregister("incoming")


def _allocate_income(con: duckdb.DuckDBPyConnection, load_id: int, file_name: str) -> None:
    con.execute(income.ALLOCATE_SQL, {"load_id": load_id})
    negative = f"({income.NEGATIVE_MONTHS_SQL})"
    con.execute(
        f"INSERT INTO raw.income_uncovered_months SELECT $load_id, person_key, month, "
        f"'negative_employment_hours' FROM {negative} n", {"load_id": load_id})
    con.execute(
        f"INSERT INTO audit.quarantine SELECT $load_id, $file_name, NULL, 'hours', "
        f"'negative_employment_hours', person_key FROM {negative} n ORDER BY month, person_key",
        {"load_id": load_id, "file_name": file_name})


def ingest_landing(con: duckdb.DuckDBPyConnection, landing: Path, key: PseudonymKey,
                   threshold: Decimal = DEFAULT_QUARANTINE_THRESHOLD,
                   sources: tuple[str, ...] = ("referrals", "benefits", "income")) -> dict[str, SourceLoadSummary]:
    return {source: ingest_source(con, source, landing, key, threshold) for source in sources}


__all__ = ["FileOutcome", "KeyMismatch", "SourceLoadSummary", "ensure_key", "ingest_landing", "ingest_source"]

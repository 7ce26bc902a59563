"""What may stop a month's run before it writes anything (spec: warehouse.md, "Running a month").

Checked by the command line before it starts the job, by the schedule before it requests a run,
and again by the job's first step (`month_guard`), since a run can also be launched from the UI
and the warehouse may have changed meanwhile:

- an issuing run for a month that has not ended (a preview may run any month);
- a landing or terms folder that is missing or unreadable, a landing folder without any source
  folder, an unusable warehouse path;
- statements already issued for a later month (a month is never issued after a later one);
- no usable pseudonym key (none set, or another than the warehouse's).

Nothing here writes: the warehouse is opened read-only, and only when it exists.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.clock import refuse_unless_ended
from orchestration.errors import MonthRefused
from orchestration.settings import Settings

CORRECTIONS = "Issued statements are never changed: corrections go into the next month's statement."
LISTED = 3   # a refusal names this many statements; more are summarised


def refuse_before_reading(settings: Settings, month: str, *, issue: bool) -> None:
    """The checks that need neither the warehouse nor any library: instant."""
    if issue:
        refuse_unless_ended(month, settings.today)
    settings.refuse_bad_folders()


def refuse_on_warehouse(settings: Settings, month: str, *, may_create_key: bool) -> None:
    """The checks that read the warehouse (call with the warehouse claimed)."""
    from orchestration.ingest.pseudonym import KeyMismatch, load_key
    from orchestration.resources import open_warehouse

    fingerprint = None
    if settings.warehouse.exists():
        with open_warehouse(settings.warehouse, read_only=True) as con:
            refuse_if_later_months_issued(con, month)
            if _has_table(con, "audit", "warehouse_key"):
                rows = con.execute("SELECT key_fingerprint FROM audit.warehouse_key LIMIT 1").fetchall()
                fingerprint = rows[0][0] if rows else None
    if fingerprint is None and may_create_key:
        return   # the first load creates the key, and says where
    key = load_key(create=False, new_warehouse=fingerprint is None)
    if fingerprint is not None and key.fingerprint != fingerprint:
        raise KeyMismatch(
            f"this warehouse was built under another pseudonym key (fingerprint {fingerprint}, this key "
            f"{key.fingerprint}); set OUTCOME_LEDGER_PSEUDONYM_KEY, or OUTCOME_LEDGER_KEY_FILE to the key "
            f"file, of the warehouse's key")


def refuse_if_later_months_issued(con, month: str) -> None:
    """A month is not issued — nor previewed — once a later month has statements."""
    if not _has_table(con, "payments", "statements"):
        return
    later = con.execute(
        "SELECT statement_id, contract_id, month FROM payments.statements WHERE month > $m "
        "ORDER BY month, statement_id", {"m": month}).fetchall()
    if not later:
        return
    if len(later) <= LISTED:
        which = ", ".join(sid for sid, _, _ in later)
    else:
        months = sorted({m for _, _, m in later})
        span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
        which = (f"{len(later)} statements of {len({c for _, c, _ in later})} contract(s) for {span}, "
                 f"from {later[0][0]} to {later[-1][0]}")
    raise MonthRefused(
        f"refused: statements for months after {month} are already issued ({which}); a month is not "
        f"issued after a later one. {CORRECTIONS}")


def latest_issued_month(warehouse: Path) -> str | None:
    """The last month with statements (call with the warehouse claimed)."""
    from orchestration.resources import open_warehouse

    if not warehouse.exists():
        return None
    with open_warehouse(warehouse, read_only=True) as con:
        if not _has_table(con, "payments", "statements"):
            return None
        return con.execute("SELECT max(month) FROM payments.statements").fetchall()[0][0]


def _has_table(con, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = $s AND table_name = $n", {"s": schema, "n": name}).fetchall())

"""The trace of a statement line: the view `audit.trace` and `outcome-ledger trace STATEMENT_ID LINE_NO`.

The view (`warehouse_schema/trace.sql`) reads only what was kept with each statement
(`payments.*` and the evidence recorded in `audit`, `docs/trace.md`), never the current
marts: the trace of an old statement does not change when newer vintages arrive.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb

TRACE_ORDER = (
    "statement_id, line_no, evidence_order, person_key, evidence_role, follow_up_year, "
    "follow_up_week, evidence_month, line_number"
)


class TraceError(LookupError):
    """The statement or line does not exist, or the warehouse holds no trace."""


def _rows(con: duckdb.DuckDBPyConnection, query: str, params: list) -> list[dict]:
    cur = con.execute(query, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _has_trace(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `audit.trace` exists: the view, or a table of that name (the analysts' copy)."""
    return bool(con.execute(
        "SELECT count(*) FROM (SELECT database_name, schema_name, view_name AS n FROM duckdb_views() "
        "UNION ALL SELECT database_name, schema_name, table_name FROM duckdb_tables()) "
        "WHERE schema_name = 'audit' AND n = 'trace' AND database_name = current_database()").fetchall()[0][0])


def open_read_only(warehouse_path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection, or `TraceError` with a message for the user."""
    path = Path(warehouse_path)
    if not path.exists():
        raise TraceError(f"no warehouse at {path}")
    try:
        return duckdb.connect(str(path), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException) as error:
        raise TraceError(f"cannot open {path} (a run may be writing it; the analysts' read-only copy holds "
                         f"the same tables): {error}") from error


def _v(value) -> str:
    return "" if value is None else str(value)


def _ranges(numbers: list[int]) -> str:
    """2, 3, 4, 7 -> '2-4, 7'."""
    out: list[str] = []
    nums = sorted(set(numbers))
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ", ".join(out)


def trace_rows(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int) -> list[dict]:
    """The rows of `audit.trace` for one line, in trace order."""
    return _rows(con, f"SELECT * FROM audit.trace WHERE statement_id = ? AND line_no = ? ORDER BY {TRACE_ORDER}",
                 [statement_id, line_no])


def format_trace(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int) -> str:
    """The readable trace of one line from an open connection (see `print_trace`)."""
    if not _has_trace(con):
        raise TraceError("this warehouse holds no trace (no view audit.trace): run a month first")
    statements = _rows(con, "SELECT * FROM payments.statements WHERE statement_id = ?", [statement_id])
    if not statements:
        raise TraceError(f"no statement {statement_id!r} (statement ids are CONTRACT:YYYY-MM, "
                         f"e.g. brondby-dsi-tuba:2024-12; see payments.statements)")
    st = statements[0]
    rows = trace_rows(con, statement_id, line_no)
    if not rows:
        count = st["line_count"]
        raise TraceError(f"statement {statement_id} has no line {line_no} "
                         f"({'it has no lines' if count == 0 else f'its lines are 1 to {count}'})")
    recorded = _rows(con, "SELECT * FROM audit.statement_evidence_runs WHERE statement_id = ?", [statement_id])
    line = rows[0]
    out: list[str] = []
    add = out.append
    add(f"Statement {statement_id}  (contract {st['contract_id']}, month {st['month']}, "
        f"issued {st['issued_at']:%Y-%m-%d %H:%M} UTC)")
    add(f"  statement SHA-256 {st['statement_sha256']}")
    add(f"  inputs: terms {st['terms_sha256']}")
    add(f"          referrals {st['referrals_file']}  {st['referrals_sha256']}")
    add(f"          benefits  {st['benefits_file']}  {st['benefits_sha256']}")
    if st["income_file"]:
        add(f"          income    {st['income_file']}  {st['income_sha256']}")
    add(f"          product version {st['product_version']}")
    add("")
    add(f"Line {line_no}: {line['item_key']}")
    add(f"  kind {line['line_kind']}: previous {line['previous_amount_dkk']} -> new {line['new_amount_dkk']}, "
        f"amount {line['amount_dkk']} DKK")
    if line["explanation"]:
        add(f"  explanation: {line['explanation']}")
    add("")
    if not line["item_in_entitlement"]:
        add("Entitlement item: not in this statement's entitlement (reversed to 0); "
            "its evidence is in the trace of the contract's earlier statements.")
        return "\n".join(out) + "\n"
    reduction = f", cut by {line['item_reduction_dkk']} under a cap" if line["item_reduction_dkk"] else ""
    add(f"Entitlement item {line['item_key']}: amount {line['item_amount_dkk']} DKK "
        f"(price {line['item_price_dkk']}{reduction})")
    add(f"  basis: {line['item_basis']}")
    if not recorded:
        add("  (no evidence was recorded for this statement)")
        return "\n".join(out) + "\n"

    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["evidence_kind"]:
            by_kind[r["evidence_kind"]].append(r)

    outcomes = by_kind["streak_outcome"] + by_kind["outcome_year"]
    add("")
    add(f"Outcome rows ({len(outcomes)}):")
    for r in outcomes:
        what = f"{r['evidence_role']:<12} person {r['person_key']}"
        if r["outcome_id"] and r["evidence_role"] in ("streak", "requirement", "outcome_year"):
            what += f"  {r['outcome_id']}"
        if r["evidence_kind"] == "streak_outcome":
            what += (f"  streak {_v(r['outcome_status'])}, achieved in follow-up week {_v(r['achievement_week'])}"
                     + (f" ({r['achievement_date']})" if r["achievement_date"] else ""))
        else:
            what += f"  year {r['follow_up_year']} status {_v(r['outcome_status'])}"
            if r["weeks_self_supporting"] is not None:
                what += (f" (weeks self-supporting {r['weeks_self_supporting']}, partial {r['weeks_partial']}, "
                         f"public support {r['weeks_public_support']}, not covered {r['weeks_not_covered']})")
            if r["evidence_role"] == "savings_year":
                what += (f"; savings {_v(r['savings_dkk'])} = baseline {_v(r['baseline_cost_dkk'])}"
                         f" - actual {_v(r['actual_cost_dkk'])}")
            if r["evidence_role"] == "cohort_year":
                what += "; counted as success" if r["counted"] else "; not a success"
        add("  " + what)

    weeks = by_kind["participant_week"]
    add("")
    add(f"Participant-weeks ({len(weeks)}):")
    add(f"  {'person_key':<32}  {'week':>5}  {'year':>4}  {'iso_week':<8}  {'month':<7}  {'status':<15}  "
        f"{'code':>5}  {'group':<15}  {'hours':>7}  {'cost_dkk':>9}  benefit row")
    for r in weeks:
        add(f"  {r['person_key']:<32}  {r['follow_up_week']:>5}  {r['follow_up_year']:>4}  {_v(r['iso_week']):<8}  "
            f"{_v(r['evidence_month']):<7}  {_v(r['status']):<15}  {_v(r['benefit_code']):>5}  "
            f"{_v(r['benefit_group']):<15}  {_v(r['employment_hours']):>7}  {_v(r['cost_dkk']):>9}  "
            f"{_v(r['file_name'])}:{_v(r['line_number'])}")

    income = by_kind["income_line"]
    add("")
    if st["income_file"]:
        add(f"Income lines (type 00) behind the employment hours of those months ({len(income)}):")
        for r in income:
            add(f"  person {r['person_key']}  month {r['evidence_month']}  {r['allocated_hours']} h  "
                f"{_v(r['file_name'])}:{r['line_number']}")
    else:
        add("Income lines: none (the contract does not use employment hours)")

    referrals = by_kind["referral_line"]
    add("")
    add(f"Referral lines ({len(referrals)}):")
    for r in referrals:
        add(f"  person {r['person_key']}  referred {_v(r['referral_date'])}, started {_v(r['start_date'])}  "
            f"{_v(r['file_name'])}:{r['line_number']}")

    files: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for r in weeks + income + referrals:
        files[(r["source"], _v(r["file_name"]), _v(r["file_sha256"]))].append(r["line_number"])
    add("")
    add("Source files and lines:")
    for (source, name, sha), numbers in sorted(files.items()):
        add(f"  {source:<9} {name}  SHA-256 {sha}")
        add(f"            lines {_ranges(numbers)}")
    return "\n".join(out) + "\n"


def print_trace(warehouse_path: str | Path, statement_id: str, line_no: int) -> str:
    """The readable trace of one statement line: line -> item -> outcome rows -> participant-weeks
    -> source files and lines. Opens the warehouse read-only. Raises `TraceError` (a LookupError)
    with a clear message when the statement, the line or the trace does not exist."""
    with open_read_only(warehouse_path) as con:
        return format_trace(con, statement_id, int(line_no))

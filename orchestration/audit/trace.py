"""The trace of a statement line: the view `audit.trace` and `outcome-ledger trace STATEMENT_ID LINE_NO
[--person KEY] [--full] [--format text|csv|json]`: a summary that fits a screen, then the drill-down.

The view (`warehouse_schema/trace.sql`) reads only what was kept with each statement
(`payments.*` and the evidence recorded in `audit`, `docs/trace.md`), never the current
marts: the trace of an old statement does not change when newer vintages arrive.
"""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import duckdb

from orchestration.audit.line_summary import LineSummary, item_of, line_rows, statement_row, summarise_line
from orchestration.audit.trace_formats import write_rows, write_summary
from orchestration.summary import kroner, text_table

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


def trace_rows(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int,
               person_key: str | None = None) -> list[dict]:
    """The rows of `audit.trace` for one line (and one person, when given), in trace order."""
    sql, params = _trace_query(statement_id, line_no, person_key)
    return _rows(con, sql, params)


def _trace_query(statement_id: str, line_no: int, person_key: str | None) -> tuple[str, list]:
    if person_key is None:
        return (f"SELECT * FROM audit.trace WHERE statement_id = ? AND line_no = ? ORDER BY {TRACE_ORDER}",
                [statement_id, line_no])
    return (f"SELECT * FROM audit.trace WHERE statement_id = ? AND line_no = ? AND person_key = ? "
            f"ORDER BY {TRACE_ORDER}", [statement_id, line_no, person_key])


def format_trace(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int,
                 person_key: str | None = None) -> str:
    """Every evidence row of one line (`--full`), or of one person of it (`--person`), from an open
    connection: line -> item -> outcome rows -> participant-weeks -> income and referral lines ->
    source files and lines. Reads `payments.statements`, `audit.statement_evidence_runs` and the
    view `audit.trace` only."""
    if not _has_trace(con):
        raise TraceError("this warehouse holds no trace (no view audit.trace): run a month first")
    statements = _rows(con, "SELECT * FROM payments.statements WHERE statement_id = ?", [statement_id])
    if not statements:
        raise TraceError(f"no statement {statement_id!r} (statement ids are CONTRACT:YYYY-MM, "
                         f"e.g. brondby-dsi-tuba:2024-12; see payments.statements)")
    st = statements[0]
    rows = trace_rows(con, statement_id, line_no, person_key)
    if not rows and person_key is not None:
        rows = trace_rows(con, statement_id, line_no)
        if rows:
            raise TraceError(f"person {person_key} is not in the evidence of line {line_no} of {statement_id}")
    if not rows:
        count = st["line_count"]
        raise TraceError(f"statement {statement_id} has no line {line_no} "
                         f"({'it has no lines' if count == 0 else f'its lines are 1 to {count}'})")
    recorded = _rows(con, "SELECT * FROM audit.statement_evidence_runs WHERE statement_id = ?", [statement_id])
    line = rows[0]
    out: list[str] = []
    add = out.append
    add(f"Statement {statement_id}  (contract {st['contract_id']}, month {st['month']}, "
        f"issued {st['issued_at']:%Y-%m-%d %H:%M:%S} UTC)")
    add(f"  statement SHA-256 {st['statement_sha256']}")
    add(f"  inputs: terms {st['terms_sha256']}")
    add(f"          referrals {st['referrals_file']}  {st['referrals_sha256']}")
    add(f"          benefits  {st['benefits_file']}  {st['benefits_sha256']}")
    if st["income_file"]:
        add(f"          income    {st['income_file']}  {st['income_sha256']}")
    add(f"          product version {st['product_version']}")
    add("")
    add(f"Line {line_no}: {line['item_key']}" + (f"  — the chain of person {person_key} only"
                                                    if person_key is not None else ""))
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


def resolve_person(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int, person: str) -> str:
    """The person key of the line's evidence that is `person` or starts with it (at least 8
    characters), else `TraceError`."""
    if len(person) < 8:
        raise TraceError(f"person key {person!r} is too short: give the key, or at least its first 8 characters")
    found = [r[0] for r in con.execute(
        "SELECT DISTINCT person_key FROM audit.trace WHERE statement_id = ? AND line_no = ? "
        "AND starts_with(person_key, ?) ORDER BY 1 LIMIT 2", [statement_id, line_no, person]).fetchall()]
    if person in found:
        return person
    if len(found) == 1:
        return found[0]
    if found:
        raise TraceError(f"person key {person!r} matches several participants of line {line_no}: give more of it")
    raise TraceError(f"person {person} is not in the evidence of line {line_no} of {statement_id}")


def load_summary(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int) -> LineSummary:
    """The summary of one line, or `TraceError` for an unknown statement or line."""
    if not _has_trace(con):
        raise TraceError("this warehouse holds no trace (no view audit.trace): run a month first")
    st = statement_row(con, statement_id)
    if st is None:
        raise TraceError(f"no statement {statement_id!r} (statement ids are CONTRACT:YYYY-MM, "
                         f"e.g. brondby-dsi-tuba:2024-12; see payments.statements)")
    found = line_rows(con, statement_id, line_no)
    if not found:
        count = st["line_count"]
        raise TraceError(f"statement {statement_id} has no line {line_no} "
                         f"({'it has no lines' if count == 0 else f'its lines are 1 to {count}'})")
    recorded = bool(con.execute("SELECT count(*) FROM audit.statement_evidence_runs WHERE statement_id = ?",
                                [statement_id]).fetchall()[0][0])
    return summarise_line(con, st, found[0], item_of(found[0]), recorded)


def _m(value) -> str:
    return kroner(value) if value is not None else ""


def drill_down(statement_id: str, line_no: int, summary: LineSummary) -> list[tuple[str, str]]:
    """The commands that go from the summary down to every evidence row."""
    base = f"outcome-ledger trace {statement_id} {line_no}"
    example = summary.top[0]["person_key"] if summary.top else "KEY"
    out = []
    if summary.contract_level:
        out.append((f"{base} --person {example}", "one participant's whole chain, down to the source lines"))
        out.append((f"{base} --full", "every evidence row of the line"))
    out.append((f"{base} --format csv|json", "the same for tools (with --full or --person: the rows of audit.trace)"))
    out.append((f"SELECT * FROM audit.trace WHERE statement_id = '{statement_id}' AND line_no = {line_no}",
                "the view the trace reads"))
    return out


def format_summary(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int,
                   summary: LineSummary | None = None) -> str:
    """What `trace STATEMENT_ID LINE_NO` prints: a summary that fits a screen. A contract-level item
    gets its aggregates (`line_summary`); a person-level item its chain (`format_trace`)."""
    if summary is None:
        summary = load_summary(con, statement_id, line_no)
    if not summary.contract_level or summary.item is None or not summary.evidence_recorded:
        text = format_trace(con, statement_id, line_no)
        hints = drill_down(statement_id, line_no, summary)
        return text + "\nFor tools:\n" + "\n".join(f"  {c}\n      {what}" for c, what in hints) + "\n"
    return summary_text(summary)


def summary_text(s: LineSummary) -> str:
    """The summary of a contract-level line as text (see `format_summary`)."""
    st, line, item, t = s.statement, s.line, s.item, s.totals
    sid, n = st["statement_id"], line["line_no"]
    out: list[str] = []
    add = out.append
    add(f"Statement {sid}  (contract {st['contract_id']}, month {st['month']}, "
        f"issued {st['issued_at']:%Y-%m-%d %H:%M:%S} UTC)")
    add(f"  statement SHA-256 {st['statement_sha256']}")
    add("")
    add(f"Line {n}: {line['item_key']}  ({line['kind']}: previous {_m(line['previous_amount_dkk'])} -> "
        f"new {_m(line['new_amount_dkk'])}, amount {_m(line['amount_dkk'])} DKK)")
    if line["explanation"]:
        add(f"  explanation: {line['explanation']}")
    reduction = f", cut by {_m(item['reduction_dkk'])} under a cap" if item["reduction_dkk"] else ""
    add(f"  item amount {_m(item['amount_dkk'])} DKK (price {_m(item['price_dkk'])}{reduction}); "
        f"basis: {item['basis']}")
    add("")
    counted = "successes" if s.mechanism == "cohort_target" else "counted"
    add(f"Counted: {_n(t['participants'])} participants, {_n(t['participant_years'])} participant-years "
        f"({_n(t['counted'])} {counted})")
    if s.has_baseline:
        add(f"  baseline {_m(t['baseline_dkk'])}  -  actual {_m(t['actual_dkk'])}  =  savings "
            f"{_m(t['savings_dkk'])} DKK")
    add("")
    add("Per follow-up year:")
    if s.has_baseline:
        add(_indent(text_table(
            ["year", "participant-years", "full", "partial", "none", "baseline", "actual", "savings"],
            [(y["follow_up_year"], _n(y["participant_years"]), _n(y["status_full"]), _n(y["status_partial"]),
              _n(y["status_none"]),
              _m(y["baseline_dkk"]), _m(y["actual_dkk"]), _m(y["savings_dkk"])) for y in s.per_year],
            right=range(8))))
    else:
        add(_indent(text_table(
            ["year", "participant-years", counted, "full", "partial", "none", "actual cost"],
            [(y["follow_up_year"], _n(y["participant_years"]), _n(y["counted"]), _n(y["status_full"]),
              _n(y["status_partial"]), _n(y["status_none"]), _m(y["actual_dkk"])) for y in s.per_year],
            right=range(7))))
    add("")
    add("Per benefit group (the item's participant-weeks):")
    if s.per_group and s.has_baseline:
        add(_indent(text_table(
            ["benefit group", "pre-period weeks", "year weeks", "pre-period cost", "baseline", "actual", "savings"],
            [(g["benefit_group"], _n(g["pre_weeks"]), _n(g["year_weeks"]), _m(g["pre_cost_dkk"]), _m(g["baseline_dkk"]),
              _m(g["actual_dkk"]), _m(g["savings_dkk"])) for g in s.per_group], right=range(1, 7))))
    elif s.per_group:
        add(_indent(text_table(["benefit group", "weeks", "actual cost"],
                               [(g["benefit_group"], _n(g["year_weeks"]), _m(g["actual_dkk"])) for g in s.per_group],
                               right=(1, 2))))
    else:
        add("  (no weeks with a benefit group)")
    add("")
    if s.top:
        total = t["savings_dkk"]
        add(f"Largest contributors ({len(s.top)} of {_n(t['participants'])} participants, by size of savings):")
        add(_indent(text_table(
            ["person_key", "years", "baseline", "actual", "savings", "share of savings"],
            [(p["person_key"], _n(p["participant_years"]), _m(p["baseline_dkk"]), _m(p["actual_dkk"]),
              _m(p["savings_dkk"]), _share(p["savings_dkk"], total)) for p in s.top], right=range(1, 6))))
    else:
        add(f"Contributors: each participant counts once ({counted} or not); "
            f"list them with --format csv --full.")
    add("")
    add("Source files:")
    add(_indent(text_table(
        ["source", "file", "SHA-256", "lines used", "participants"],
        [(f["source"], f["file_name"], f["file_sha256"], _n(f["lines_used"]), _n(f["participants"])) for f in s.files],
        right=(3, 4))))
    add("")
    add("Reconciliation:")
    for c in s.checks:
        add(f"  {'ok  ' if c.ok else 'DIFF'}  {c.label}: {_plain(c.computed)}"
            + ("" if c.ok else f" vs {_plain(c.recorded)}"))
    add("")
    add("Drill down:")
    for command, what in drill_down(sid, n, s):
        add(f"  {command}")
        add(f"      {what}")
    return "\n".join(out) + "\n"


def _plain(value) -> str:
    return kroner(value) if isinstance(value, Decimal) else str(value)


def _share(part: Decimal | None, total: Decimal | None) -> str:
    if part is None or not total:
        return ""
    share = (part / total * 100).quantize(Decimal("0.01"))
    return f"{share} %" if share or not part else ("< 0.01 %" if part / total > 0 else "> -0.01 %")


def _n(count: int | None) -> str:
    """A count with thousands separators."""
    return "" if count is None else f"{count:,}"


def _indent(text: str) -> str:
    return "\n".join("  " + r for r in text.splitlines())


def print_trace(warehouse_path: str | Path, statement_id: str, line_no: int, *, person: str | None = None,
                full: bool = False, fmt: str = "text") -> str:
    """The trace of one statement line as `outcome-ledger trace` prints it: the summary, or one
    person's chain (`person`, a key or its first characters), or every evidence row (`full`); as
    text, csv or json (`fmt`). Opens the warehouse read-only. Raises `TraceError` (a LookupError)
    with a clear message when the statement, the line, the person or the trace does not exist."""
    buffer = io.StringIO()
    write_trace(buffer, warehouse_path, statement_id, line_no, person=person, full=full, fmt=fmt)
    return buffer.getvalue()


def write_trace(out: TextIO, warehouse_path: str | Path, statement_id: str, line_no: int, *,
                person: str | None = None, full: bool = False, fmt: str = "text") -> None:
    """`print_trace` written to `out` as it is produced (a --full listing can be long)."""
    if fmt not in FORMATS:
        raise TraceError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if person is not None and full:
        raise TraceError("--person and --full exclude each other: --person is one participant's part of --full")
    line_no = int(line_no)
    with open_read_only(warehouse_path) as con:
        summary = load_summary(con, statement_id, line_no)   # checks the statement and the line
        key = resolve_person(con, statement_id, line_no, person) if person is not None else None
        rows_wanted = key is not None or full or not summary.contract_level or summary.item is None
        if fmt == "text":
            out.write(format_trace(con, statement_id, line_no, key) if key is not None or full
                      else format_summary(con, statement_id, line_no, summary))
        elif rows_wanted:
            write_rows(out, con, *_trace_query(statement_id, line_no, key), fmt=fmt,
                                     header={"statement_id": statement_id, "line_no": line_no, "person_key": key})
        else:
            write_summary(out, summary, drill_down(statement_id, line_no, summary), fmt=fmt)


FORMATS = ("text", "csv", "json")

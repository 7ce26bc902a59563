"""Every table the command line prints (and the run's metadata shows), drawn with `tabulate`:
loads, quarantine, vintages, and the month's statements, lines, budget entries and budget
forecast — issued (`payments` schema) or previewed (`preview` schema), from the same queries, so a
preview prints exactly the lines the issuing run prints."""

from __future__ import annotations

import sys
from datetime import datetime
from decimal import Decimal
from typing import Iterable, Sequence

import duckdb
from tabulate import tabulate

from orchestration.settings import Settings

QUARANTINE_SHOWN = 5


def text_table(headers: Sequence[str], rows: Iterable[Sequence], right: Iterable[int] = ()) -> str:
    """A plain-text table; columns in `right` are right-aligned (numbers)."""
    right = set(right)
    align = ["right" if i in right else "left" for i in range(len(headers))]
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    return tabulate(cells, headers=list(headers), tablefmt="simple", colalign=align, disable_numparse=True)


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    cells = [["" if v is None else str(v).replace("|", "/") for v in row] for row in rows]
    return tabulate(cells, headers=list(headers), tablefmt="pipe", disable_numparse=True)


def kroner(value: Decimal | None) -> str:
    """DKK with thousands separators for reading (the statement hash uses its own format)."""
    if value is None:
        return ""
    return f"{(value if value != 0 else Decimal('0.00')):,.2f}"


# --- loads ----------------------------------------------------------------------------------

def load_summary(con: duckdb.DuckDBPyConnection, since: datetime) -> str:
    rows = con.execute(
        """
        SELECT source,
               count(*) FILTER (WHERE status = 'loaded') AS loaded,
               count(*) FILTER (WHERE status = 'rejected') AS rejected,
               coalesce(sum(rows_loaded) FILTER (WHERE status = 'loaded'), 0) AS lines_loaded,
               coalesce(sum(rows_quarantined) FILTER (WHERE status = 'loaded'), 0) AS lines_quarantined
        FROM audit.loads WHERE loaded_at >= $since
        GROUP BY source ORDER BY source
        """, {"since": since}).fetchall()
    if not rows:
        return "no new files in the landing folder"
    text = text_table(["source", "files loaded", "rejected", "lines loaded", "lines quarantined"],
                      rows, right={1, 2, 3, 4})
    rejected = con.execute(
        "SELECT message FROM audit.loads WHERE loaded_at >= $since AND status = 'rejected' ORDER BY load_id",
        {"since": since}).fetchall()
    if rejected:   # each message starts with the file's name
        text += "\n\nRejected files:\n" + "\n".join(f"  {message}" for (message,) in rejected)
    return text + _quarantine_summary(con, since)


def _quarantine_summary(con: duckdb.DuckDBPyConnection, since: datetime) -> str:
    loads = [r[0] for r in con.execute(
        "SELECT DISTINCT load_id FROM audit.quarantine WHERE load_id IN "
        "(SELECT load_id FROM audit.loads WHERE loaded_at >= $since) ORDER BY 1", {"since": since}).fetchall()]
    if not loads:
        return ""
    count = con.execute("SELECT count(*) FROM audit.quarantine WHERE list_contains($ids, load_id)",
                        {"ids": loads}).fetchall()[0][0]
    sample = con.execute(
        "SELECT file_name, line_number, column_name, reason FROM audit.quarantine WHERE list_contains($ids, load_id) "
        "ORDER BY load_id, line_number NULLS LAST, column_name LIMIT $n", {"ids": loads, "n": QUARANTINE_SHOWN}
    ).fetchall()
    ids = ", ".join(str(i) for i in loads)
    head = (f"\n\nQuarantined values: {count}, each listed in audit.quarantine "
            f"(SELECT * FROM audit.quarantine WHERE load_id IN ({ids}))")
    head += f"; the first {len(sample)}:" if count > len(sample) else ":"
    return head + "\n" + text_table(["file", "line", "column", "reason"], sample, right={1})


def vintage_summary(con: duckdb.DuckDBPyConnection, month: str) -> str:
    rows = con.execute(
        "SELECT source, file_name, vintage, left(file_sha256, 12) || '…' FROM raw.selected_vintages "
        "WHERE run_month = $m ORDER BY source", {"m": month}).fetchall()
    return text_table(["source", "selected vintage", "as of", "sha256"], rows)


def left_censored_summary(con: duckdb.DuckDBPyConnection) -> str:
    """Participants whose coverage starts with a ladder week (finance.md): their refusion-ladder
    numbers may be too low, as the benefit history before the extract is unknown."""
    if not _has_table(con, "marts", "dim_participants"):
        return ""
    rows = con.execute(
        "SELECT contract_id, count(*) FILTER (WHERE ladder_left_censored), count(*) FROM marts.dim_participants "
        "WHERE excluded_reason IS NULL GROUP BY contract_id HAVING count(*) FILTER (WHERE ladder_left_censored) > 0 "
        "ORDER BY contract_id").fetchall()
    if not rows:
        return ""
    total = sum(r[1] for r in rows)
    return (f"Left-censored on the refusion ladder: {total} participant(s) whose benefit extract starts with a "
            f"ladder week — their ladder week numbers, and so their municipal cost, may be too low (the "
            f"extract should begin three years before the earliest pre-period):\n"
            + text_table(["contract", "left-censored", "participants"], rows, right={1, 2}))


# --- statements -----------------------------------------------------------------------------

#: The cohort beside each statement, per contract from the run's marts: `participants` (without an
#: excluded_reason) and outcome-years `verified` / `pending`. The one definition of "years
#: verified": `run` prints it, and the evidence keeps it per statement for the report's chart.
COHORT_CTES = """participants AS (
            SELECT contract_id, count(*) FILTER (WHERE excluded_reason IS NULL) AS participants
            FROM marts.dim_participants GROUP BY contract_id),
        years AS (
            SELECT contract_id,
                   count(*) FILTER (WHERE is_complete) AS verified,
                   count(*) FILTER (WHERE NOT is_complete) AS pending
            FROM marts.fct_outcome_years GROUP BY contract_id)"""

STATEMENT_HEADERS = ["contract", "participants", "years verified", "years pending", "entitlement to date",
                     "lines", "lines total", "offset in", "payable", "offset out", "statement sha256"]


def statement_rows(con: duckdb.DuckDBPyConnection, month: str, *, schema: str) -> tuple[list[str], list[tuple]]:
    """Per contract, the month's statement (`schema`: `payments` or `preview`) with the run's cohort."""
    rows = con.execute(
        f"""
        WITH {COHORT_CTES},
        lines AS (
            SELECT statement_id, count(*) AS line_count FROM {schema}.statement_lines GROUP BY statement_id)
        SELECT s.contract_id, coalesce(p.participants, 0), coalesce(y.verified, 0), coalesce(y.pending, 0),
               s.entitlement_to_date_dkk, coalesce(l.line_count, 0), s.lines_total_dkk,
               s.offset_brought_forward_dkk, s.amount_payable_dkk, s.offset_carried_forward_dkk,
               left(s.statement_sha256, 12) || '…'
        FROM {schema}.statements s
        LEFT JOIN participants p USING (contract_id)
        LEFT JOIN years y USING (contract_id)
        LEFT JOIN lines l USING (statement_id)
        WHERE s.month = $m ORDER BY s.contract_id
        """, {"m": month}).fetchall()
    money = {4, 6, 7, 8, 9}
    return STATEMENT_HEADERS, [tuple(kroner(v) if i in money else v for i, v in enumerate(r)) for r in rows]


def statement_report(con: duckdb.DuckDBPyConnection, month: str, *, schema: str) -> str:
    """The month's statements, every line, and every budget entry, as printed by `run`."""
    headers, rows = statement_rows(con, month, schema=schema)
    if not rows:
        return f"No statements for {month}."
    lines = con.execute(
        f"""
        SELECT l.statement_id, l.line_no, l.kind, l.outcome_id, left(l.person_key, 12), l.follow_up_year,
               l.previous_amount_dkk, l.new_amount_dkk, l.amount_dkk, l.explanation
        FROM {schema}.statement_lines l JOIN {schema}.statements s USING (statement_id)
        WHERE s.month = $m ORDER BY l.statement_id, l.line_no
        """, {"m": month}).fetchall()
    entries = con.execute(
        f"""
        SELECT b.statement_id, b.budget_year, b.account, b.kind, b.benefit_group, b.amount_dkk
        FROM {schema}.budget_entries b JOIN {schema}.statements s USING (statement_id)
        WHERE s.month = $m ORDER BY b.statement_id, b.budget_year, b.kind, b.account, b.benefit_group NULLS FIRST
        """, {"m": month}).fetchall()
    sections = [
        f"Statements {month}:\n" + text_table(headers, rows, right=range(1, 10)),
        f"Lines ({len(lines)}):\n" + (text_table(
            ["statement", "line", "kind", "outcome", "person", "year", "previous", "new", "amount", "explanation"],
            [(*r[:6], kroner(r[6]), kroner(r[7]), kroner(r[8]), r[9]) for r in lines],
            right={1, 5, 6, 7, 8}) if lines else "none"),
        f"Budget entries ({len(entries)}):\n" + (text_table(
            ["statement", "budget year", "account", "kind", "benefit group", "amount"],
            [(*r[:5], kroner(r[5])) for r in entries], right={1, 5}) if entries else "none"),
    ]
    return "\n\n".join(sections)


# --- what `run` prints ------------------------------------------------------------------------

def _has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = $s AND table_name = $n", {"s": schema, "n": name}).fetchall())


def print_load_summary(settings: Settings, since: datetime) -> None:
    """The loads of a run that was refused or failed: what it loaded or rejected first."""
    if not settings.warehouse.exists():
        return
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            if _has_table(con, "audit", "loads"):
                print("Loads before the run stopped:\n" + load_summary(con, since) + "\n", file=sys.stderr)
    except duckdb.Error:
        pass


def print_run_summary(settings: Settings, month: str, since: datetime, *, issue: bool) -> None:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        print("\nLoads this run:\n" + load_summary(con, since))
        print("\nSelected vintages:\n" + vintage_summary(con, month))
        censored = left_censored_summary(con)
        if censored:
            print("\n" + censored)
        schema = "payments" if issue else "preview"
        if not _has_table(con, schema, "statements"):
            print(f"\nNo statements for {month}.")
            return
        if not issue:
            print(f"\nPREVIEW of {month} — nothing was issued. On the inputs loaded now, an issuing run "
                  f"of {month} would give:")
        print("\n" + statement_report(con, month, schema=schema))
        forecast = forecast_report(con, month, schema=schema)
        if forecast:
            print("\n" + forecast)
        if issue:
            unchanged = con.execute(
                "SELECT count(*) FROM payments.statements WHERE month = $m AND issued_at < $since",
                {"m": month, "since": since}).fetchall()[0][0]
            if unchanged:
                print(f"\n({unchanged} statement(s) of {month} were issued before and are unchanged.)")
        else:
            print("\n(The preview is kept in the warehouse's `preview` schema until the next preview; "
                  "nothing in `payments` changed.)")


# --- the budget forecast ------------------------------------------------------------------------

def budget_table(con: duckdb.DuckDBPyConnection, contract_id: str, month: str, *, schema: str = "payments",
                 markdown: bool = False) -> str:
    """One contract's forecast of `month` (finance.md, "Budget forecast"): budget years across,
    per account and kind an `actual` row (booked by issued statements) and an `expected` row, with
    what the expected amounts rest on."""
    rows = con.execute(
        f"""SELECT budget_year, account, kind, actual_dkk, expected_dkk, basis
            FROM {schema}.budget_forecast WHERE contract_id = $c AND forecast_month = $m
            ORDER BY account, kind, budget_year""", {"c": contract_id, "m": month}).fetchall()
    years = sorted({r[0] for r in rows})
    lines: dict[tuple[str, str], dict] = {}
    for year, account, kind, actual, expected, basis in rows:
        line = lines.setdefault((account, kind), {"actual": {}, "expected": {}, "bases": set()})
        line["actual"][year], line["expected"][year] = actual, expected
        if basis != "none":
            line["bases"].add(basis)
    order = {"payment": 0, "savings": 1, "refusion": 2}
    body = []
    # the payment first, then account by account: savings and refusion side by side (their sum is
    # the municipality's own net change on the account)
    for (account, kind), line in sorted(lines.items(),
                                        key=lambda item: (item[0][1] != "payment", item[0][0], order.get(item[0][1], 9))):
        for figure in ("actual", "expected"):
            values = [line[figure].get(y, 0) for y in years]
            rests = ", ".join(sorted(line["bases"])) or "none" if figure == "expected" else ""
            body.append((account if figure == "actual" else "", kind if figure == "actual" else "", figure,
                         *(kroner(v) for v in values), kroner(sum(values)), rests))
    totals = con.execute(
        f"""SELECT kind, sum(actual_dkk), sum(expected_dkk) FROM {schema}.budget_forecast
            WHERE contract_id = $c AND forecast_month = $m GROUP BY kind""", {"c": contract_id, "m": month}).fetchall()
    headers = ["account", "kind", "", *(str(y) for y in years), "all years", "expected rests on"]
    title = f"Budget forecast of {contract_id} as of {month} (DKK; savings negative, as appropriations):"
    summary = "; ".join(f"{kind} {kroner(a + e)} in all ({kroner(a)} booked, {kroner(e)} expected)"
                        for kind, a, e in sorted(totals, key=lambda t: order.get(t[0], 9)))
    if markdown:
        return markdown_table(headers, body) + "\n\n" + summary
    return title + "\n" + text_table(headers, body, right=range(3, 4 + len(years))) + "\n" + summary


def forecast_report(con: duckdb.DuckDBPyConnection, month: str, *, schema: str, markdown: bool = False) -> str:
    """The budget forecast of run month `month` of every contract (issued or previewed)."""
    if not _has_table(con, schema, "budget_forecast"):
        return ""
    contracts = [r[0] for r in con.execute(
        f"SELECT DISTINCT contract_id FROM {schema}.budget_forecast WHERE forecast_month = $m ORDER BY 1",
        {"m": month}).fetchall()]
    if markdown:
        return "\n\n".join(f"**{c}**\n\n" + budget_table(con, c, month, schema=schema, markdown=True)
                           for c in contracts)
    return "\n\n".join(budget_table(con, c, month, schema=schema) for c in contracts)

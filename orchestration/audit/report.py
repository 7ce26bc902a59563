"""The auditor's report of one statement: one self-contained HTML document (`outcome-ledger report`).

Rendered from the template `templates/report.html.j2` (jinja2, autoescape on): contract and
parties, the recorded inputs with their hashes, the lines (grouped, then listed), totals reconciled
to the statement, budget entries and the contract's budget forecast at the statement's month, a
chart of the years verified over the contract's statements, per line the summary `trace` prints
(a person-level line: its chain), and a sign-off block. Person keys only, never a CPR. Reads the
statement's own rows (`payments.*`, `audit.*`), never the current marts (except the contract's
names when the statement's stored terms cannot be read).

Its size is bounded whatever the cohort: every summary is a fixed number of small aggregates, at
most `LINES_LISTED` lines are listed one by one (all lines are counted and summed per outcome), and
at most `CHAINS_SHOWN` person-level chains are included (`docs/trace.md`, "The report").
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import jinja2

from orchestration.audit.chart import years_verified_chart
from orchestration.audit.line_summary import item_of, line_rows, rows, stored_terms, summarise_line
from orchestration.audit.trace import TraceError, _has_trace, drill_down, format_trace, open_read_only
from orchestration.summary import kroner

LINES_LISTED = 200     # lines listed one by one; the rest are counted and summed per outcome
CHAINS_SHOWN = 10      # person-level lines whose chain is included
TOP_CONTRIBUTORS = 10  # largest contributors per contract-level line


def money(value) -> str:
    return "" if value is None else kroner(Decimal(value))


def timestamp(value: datetime | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M:%S}"


def css_text(value) -> str:
    """Text safe inside a CSS string in the style element: letters, digits and `:._- ` only."""
    return re.sub(r"[^A-Za-z0-9:._ -]", "", str(value))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("orchestration.audit", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["money"] = money
    env.filters["timestamp"] = timestamp
    env.filters["css_text"] = css_text
    env.filters["count"] = lambda n: "" if n is None else f"{n:,}"
    return env


def _parties(con: duckdb.DuckDBPyConnection, st: dict) -> tuple[dict, str]:
    """Name, parties and mechanism: from the terms stored with the statement, else
    marts.dim_contracts, else raw.contracts (both of the latest run)."""
    terms = stored_terms(con, st["statement_id"])
    parties = terms.get("parties")
    if isinstance(parties, dict):
        return ({"name": terms.get("name"), "payer": parties.get("payer"), "investor": parties.get("investor"),
                 "provider": parties.get("provider"), "mechanism": (terms.get("payment") or {}).get("mechanism")},
                "the terms file stored with the statement")
    for schema, table in (("marts", "dim_contracts"), ("raw", "contracts")):
        if _exists(con, schema, table):
            found = rows(con, f"SELECT name, payer, investor, provider, mechanism FROM {schema}.{table} "
                              "WHERE contract_id = ?", [st["contract_id"]])
            if found:
                return found[0], f"{schema}.{table} (the latest run)"
    return {}, "nowhere: the contract is no longer known"


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM (SELECT database_name, schema_name, table_name AS n FROM duckdb_tables() "
        "UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views()) "
        "WHERE database_name = current_database() AND schema_name = ? AND n = ?", [schema, name]).fetchall()[0][0])


# Years verified per statement of the contract, as `run` printed them beside each statement
# (audit.statement_cohort, kept with the evidence), and the entitlement to date.
POINTS_SQL = """
SELECT s.month, s.entitlement_to_date_dkk AS entitlement, c.years_verified, c.participants
FROM payments.statements s
LEFT JOIN audit.statement_cohort c ON c.statement_id = s.statement_id
WHERE s.contract_id = ? AND s.month <= ?
ORDER BY s.month
"""

LINE_GROUPS_SQL = """
SELECT kind, outcome_id, count(*) AS lines, sum(amount_dkk) AS amount_dkk
FROM payments.statement_lines WHERE statement_id = ?
GROUP BY kind, outcome_id ORDER BY kind DESC, outcome_id
"""


def _forecast(con: duckdb.DuckDBPyConnection, st: dict) -> dict | None:
    """The contract's budget forecast at the statement's month (payments.budget_forecast, finance.md):
    budget years across, account and kind down, actual and expected; None when no table exists."""
    if not _exists(con, "payments", "budget_forecast"):
        return None
    found = rows(con, "SELECT budget_year, account, kind, actual_dkk, expected_dkk, total_dkk, basis "
                      "FROM payments.budget_forecast WHERE forecast_month = ? AND contract_id = ? "
                      "ORDER BY account, kind, budget_year", [st["month"], st["contract_id"]])
    years = sorted({r["budget_year"] for r in found})
    table: dict[tuple, dict] = {}
    for r in found:   # a handful of rows (years x accounts x kinds): pivoted for display
        cells = table.setdefault((r["account"], r["kind"]), {})
        cells[r["budget_year"]] = r
    basis = sorted({r["basis"] for r in found if r["basis"]})
    return {"years": years, "rows": [{"account": a, "kind": k, "cells": c} for (a, k), c in table.items()],
            "basis": basis}


def build_report(con: duckdb.DuckDBPyConnection, statement_id: str) -> str:
    """The report from an open connection (see `render_report`)."""
    found = rows(con, "SELECT * FROM payments.statements WHERE statement_id = ?", [statement_id])
    if not found:
        raise TraceError(f"no statement {statement_id!r} (statement ids are CONTRACT:YYYY-MM, "
                         f"e.g. brondby-dsi-tuba:2024-12; see payments.statements)")
    st = found[0]
    contract, parties_source = _parties(con, st)
    listed = line_rows(con, statement_id, limit=LINES_LISTED)
    groups = rows(con, LINE_GROUPS_SQL, [statement_id])
    line_count = sum(g["lines"] for g in groups)
    inputs = rows(con, "SELECT input_kind, file_name, file_sha256 FROM payments.statement_inputs "
                       "WHERE statement_id = ? ORDER BY input_kind DESC, file_name", [statement_id])
    budget = rows(con, "SELECT * FROM payments.budget_entries WHERE statement_id = ? ORDER BY kind, account, "
                       "benefit_group", [statement_id])
    unbooked = rows(con, "SELECT * FROM payments.budget_unbooked WHERE statement_id = ? ORDER BY kind, benefit_group",
                    [statement_id])
    [(posted, paid, lines_sum)] = con.execute(
        "SELECT (SELECT coalesce(sum(l.amount_dkk), 0) FROM payments.statement_lines l JOIN payments.statements s "
        "        USING (statement_id) WHERE s.contract_id = $c AND s.month <= $m), "
        "       (SELECT coalesce(sum(amount_payable_dkk), 0) FROM payments.statements "
        "        WHERE contract_id = $c AND month <= $m), "
        "       (SELECT coalesce(sum(amount_dkk), 0) FROM payments.statement_lines WHERE statement_id = $s)",
        {"c": st["contract_id"], "m": st["month"], "s": statement_id}).fetchall()
    has_trace = _has_trace(con)
    recorded = has_trace and bool(con.execute(
        "SELECT count(*) FROM audit.statement_evidence_runs WHERE statement_id = ?", [statement_id]).fetchall()[0][0])
    points = rows(con, POINTS_SQL, [st["contract_id"], st["month"]]) if _exists(con, "audit", "statement_cohort") \
        else [dict(r, years_verified=None, participants=None) for r in rows(
            con, "SELECT month, entitlement_to_date_dkk AS entitlement FROM payments.statements "
                 "WHERE contract_id = ? AND month <= ? ORDER BY month", [st["contract_id"], st["month"]])]

    checks = [
        ("sum of the lines = lines total", lines_sum, st["lines_total_dkk"]),
        ("lines total + offset brought forward = total",
         st["lines_total_dkk"] + st["offset_brought_forward_dkk"], st["total_dkk"]),
        ("amount payable + offset carried forward = total",
         st["amount_payable_dkk"] + st["offset_carried_forward_dkk"], st["total_dkk"]),
        ("all lines posted to date = entitlement to date", posted, st["entitlement_to_date_dkk"]),
        ("all amounts paid to date + offset carried = entitlement to date",
         paid + st["offset_carried_forward_dkk"], st["entitlement_to_date_dkk"]),
    ]

    details = []
    chains = 0
    for line in listed:
        summary = summarise_line(con, st, line, item_of(line), recorded, top=TOP_CONTRIBUTORS) if has_trace else None
        entry = {"line": line, "summary": summary, "chain": None, "omitted": False,
                 "drill_down": drill_down(statement_id, line["line_no"], summary) if summary else []}
        if summary is not None and recorded and not summary.contract_level and summary.item is not None:
            if chains < CHAINS_SHOWN:
                entry["chain"] = format_trace(con, statement_id, line["line_no"])
                chains += 1
            else:
                entry["omitted"] = True
        details.append(entry)

    return environment().get_template("report.html.j2").render(
        st=st, contract=contract, parties_source=parties_source,
        reference_files=sorted(json.loads(st["reference_files"] or "{}").items()),
        terms_file=next((i["file_name"] for i in inputs if i["input_kind"] == "terms"), ""),
        inputs=inputs, lines=listed, line_count=line_count, line_groups=groups, lines_listed=LINES_LISTED,
        checks=checks, budget=budget, unbooked=unbooked, forecast=_forecast(con, st),
        chart=years_verified_chart(points, st["month"]), points=points,
        has_trace=has_trace, recorded=recorded, details=details, chains_shown=CHAINS_SHOWN,
    )


def render_report(warehouse_path: str | Path, statement_id: str) -> str:
    """One self-contained HTML document for a statement. Opens the warehouse read-only; raises
    `TraceError` for an unknown statement or a missing warehouse."""
    with open_read_only(warehouse_path) as con:
        return build_report(con, statement_id)

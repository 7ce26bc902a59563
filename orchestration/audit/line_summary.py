"""The summary of one statement line, the first thing `trace` prints and the report shows per line.

A contract-level item (savings share, cohort target) rests on every participant: its summary gives
the participants and participant-years counted, the sums per follow-up year and per benefit group
(baseline, actual cost, savings), the largest contributors and every source file with its SHA-256
and the number of its lines used, and checks that these sums reconcile with the item's basis and
the statement. A person-level item (rate card) is summarised by its own chain (`trace.format_trace`).

Every figure is a set-based SQL aggregate (`queries/*.sql`, one query per file); only the small
results reach Python, so the summary costs the same few queries at 100 participants as at 100,000.
Most queries read only the per-statement outcome rows (`audit.statement_evidence_outcomes`) and
`payments.*`; the participant-weeks and source lines of an item are read from the other evidence
tables by two sub-queries only (`queries/item_weeks.sql`, `queries/item_source_lines.sql`), filtered
on the statement before any join, and checked against the view `audit.trace` by the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib.resources import files

import duckdb
import yaml

TOP_CONTRIBUTORS = 5
ZERO = Decimal("0.00")


@cache
def query(name: str) -> str:
    """The text of `queries/<name>.sql`, with the sub-queries it names (`{item_weeks}`,
    `{item_source_lines}`) inlined."""
    text = files(__package__).joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")
    for part in SUBQUERIES:
        if "{" + part + "}" in text:
            text = text.replace("{" + part + "}", "\n" + query(part) + "\n")
    return text


SUBQUERIES = ("item_source_lines", "item_weeks")   # item_source_lines uses item_weeks: it comes first


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


@dataclass(frozen=True)
class Check:
    """One reconciliation: two figures that must be equal."""

    label: str
    computed: Decimal | int | None
    recorded: Decimal | int | None

    @property
    def ok(self) -> bool:
        return self.computed == self.recorded


@dataclass
class LineSummary:
    """What one statement line rests on, in a bounded number of small rows."""

    statement: dict
    line: dict
    item: dict | None                    # the entitlement item (None: reversed to 0)
    contract_level: bool
    evidence_recorded: bool
    mechanism: str | None = None
    totals: dict = field(default_factory=dict)
    per_year: list[dict] = field(default_factory=list)
    per_group: list[dict] = field(default_factory=list)
    top: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    has_baseline: bool = False
    verified_savings_dkk: Decimal | None = None   # S of the statement (savings share)


def stored_terms(con: duckdb.DuckDBPyConnection, statement_id: str) -> dict:
    """The terms file stored with the statement, parsed; {} when absent or unreadable."""
    found = con.execute("SELECT content FROM payments.statement_inputs WHERE statement_id = ? "
                        "AND input_kind = 'terms'", [statement_id]).fetchall()
    if not found:
        return {}
    try:
        terms = yaml.safe_load(found[0][0])
    except yaml.YAMLError:
        return {}
    return terms if isinstance(terms, dict) else {}


def baseline_factors(terms: dict) -> list[str]:
    """`payment.baseline.factors` as decimal strings (exact), [] when the contract has no baseline."""
    baseline = (terms.get("payment") or {}).get("baseline") or {}
    factors = baseline.get("factors") if isinstance(baseline, dict) else None
    return [str(f) for f in factors] if isinstance(factors, list) else []


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def summarise_line(con: duckdb.DuckDBPyConnection, statement: dict, line: dict, item: dict | None,
                   evidence_recorded: bool, *, top: int = TOP_CONTRIBUTORS) -> LineSummary:
    """The summary of `line` of `statement` (rows of payments.statements / statement_lines /
    entitlement_items). Only contract-level items get the aggregates; a person-level item's
    summary is its chain."""
    summary = LineSummary(statement=statement, line=line, item=item,
                          contract_level=line["person_key"] is None, evidence_recorded=evidence_recorded)
    if item is None or not evidence_recorded:
        return summary
    sid, key = statement["statement_id"], line["item_key"]
    if not summary.contract_level:
        return summary   # its chain is the summary (trace.format_trace)

    terms = stored_terms(con, sid)
    summary.mechanism = (terms.get("payment") or {}).get("mechanism")
    factors = baseline_factors(terms)
    summary.has_baseline = bool(factors)
    item_params = {"statement_id": sid, "item_key": key}
    summary.totals = rows(con, query("outcome_totals"), item_params)[0]
    summary.per_year = rows(con, query("per_year"), item_params)
    summary.top = rows(con, query("top_contributors"), {**item_params, "limit": top})
    summary.per_group = rows(con, query("per_group"), {**item_params, "factors": factors})
    summary.files = rows(con, query("source_files"), item_params)

    checks = summary.checks
    t = summary.totals
    checks.append(Check("participant-years: sum over the follow-up years = total",
                        sum(y["participant_years"] for y in summary.per_year), t["participant_years"]))
    if summary.has_baseline:
        years_savings = _sum(y["savings_dkk"] for y in summary.per_year) or ZERO
        checks.append(Check("savings: sum over the follow-up years = sum over the benefit groups",
                            years_savings, _sum(g["savings_dkk"] for g in summary.per_group) or ZERO))
        checks.append(Check("baseline: sum over the follow-up years = sum over the benefit groups",
                            _sum(y["baseline_dkk"] for y in summary.per_year) or ZERO,
                            _sum(g["baseline_dkk"] for g in summary.per_group) or ZERO))
        checks.append(Check("actual cost: sum over the follow-up years = sum over the benefit groups",
                            _sum(y["actual_dkk"] for y in summary.per_year) or ZERO,
                            _sum(g["actual_dkk"] for g in summary.per_group) or ZERO))
        [(recorded_s,)] = con.execute(
            "SELECT sum(verified_savings_dkk) FROM payments.statement_savings WHERE statement_id = ?",
            [sid]).fetchall()
        summary.verified_savings_dkk = recorded_s
        if recorded_s is not None:
            checks.append(Check("savings: sum over the follow-up years = the statement's verified savings S",
                                years_savings, recorded_s))
    checks.extend(basis_checks(item["basis"], summary))
    checks.append(Check("the item's amount = the line's new amount", item["amount_dkk"], line["new_amount_dkk"]))
    checks.append(Check("the line's amount = new − previous", line["new_amount_dkk"] - line["previous_amount_dkk"],
                        line["amount_dkk"]))
    return summary


SAVINGS_BASIS = re.compile(r"^S = (-?[0-9]+\.[0-9]{2}) over ([0-9]+) participant-years")
COHORT_BASIS = re.compile(r"^([0-9]+) of ([0-9]+) participants succeeded in year ([0-9]+)")


def basis_checks(basis: str | None, summary: LineSummary) -> list[Check]:
    """The figures the engine wrote into the item's basis, against the summary's sums."""
    t = summary.totals
    if basis and (m := SAVINGS_BASIS.match(basis)):
        return [Check("savings: sum over the follow-up years = S of the item's basis",
                      _sum(y["savings_dkk"] for y in summary.per_year) or ZERO, Decimal(m.group(1))),
                Check("participant-years counted = those of the item's basis", t["participant_years"],
                      int(m.group(2)))]
    if basis and (m := COHORT_BASIS.match(basis)):
        return [Check("successes counted = those of the item's basis", t["counted"], int(m.group(1))),
                Check("participants = those of the item's basis", t["participants"], int(m.group(2)))]
    return []


def statement_row(con: duckdb.DuckDBPyConnection, statement_id: str) -> dict | None:
    found = rows(con, "SELECT * FROM payments.statements WHERE statement_id = ?", [statement_id])
    return found[0] if found else None


def line_rows(con: duckdb.DuckDBPyConnection, statement_id: str, line_no: int | None = None,
              limit: int | None = None) -> list[dict]:
    """Lines of a statement with their entitlement item's figures (item_* null when reversed to 0)."""
    sql = ("SELECT l.*, i.item_key IS NOT NULL AS item_in_entitlement, i.price_dkk AS item_price_dkk, "
           "i.reduction_dkk AS item_reduction_dkk, i.amount_dkk AS item_amount_dkk, i.basis AS item_basis, "
           "i.evidence_status AS item_evidence_status "
           "FROM payments.statement_lines l LEFT JOIN payments.entitlement_items i "
           "ON i.statement_id = l.statement_id AND i.item_key = l.item_key WHERE l.statement_id = ?")
    params: list = [statement_id]
    if line_no is not None:
        sql += " AND l.line_no = ?"
        params.append(line_no)
    sql += " ORDER BY l.line_no"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return rows(con, sql, params)


def item_of(line: dict) -> dict | None:
    """The entitlement item carried on a row of `line_rows`."""
    if not line["item_in_entitlement"]:
        return None
    return {"item_key": line["item_key"], "price_dkk": line["item_price_dkk"],
            "reduction_dkk": line["item_reduction_dkk"], "amount_dkk": line["item_amount_dkk"],
            "basis": line["item_basis"], "evidence_status": line["item_evidence_status"]}

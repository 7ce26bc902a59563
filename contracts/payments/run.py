"""`issue_statements`: one statement run for a month, in one transaction (all contracts or nothing)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import duckdb

from contracts.payments.budget import compute_budget
from contracts.payments.entitlement import compute_entitlement
from contracts.payments.forecast import compute_forecast
from contracts.payments.errors import LadderShareMissing, StatementNotReproducible, StatementRefused
from contracts.payments.inputs import RunInputs, differences, recorded_from_row
from contracts.payments.queries import sql
from contracts.payments.results import StatementRunResult, StatementSummary, UnbookedAmount
from contracts.payments.statements import compute_lines, computed_hashes
from contracts.payments.tables import missing_tables
from warehouse_schema import ensure_schema

MONTH_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")

CORRECTIONS = "Issued statements are never changed: corrections go into the next month's statement."

#: The inserts of a newly issued statement's rows, in this order (`sql/insert_<table>.sql`).
INSERTS = ("statements", "statement_lines", "entitlement_items", "item_evidence", "statement_savings",
           "budget_entries", "budget_unbooked")


def issue_statements(
    con: duckdb.DuckDBPyConnection, *, month: str, inputs: RunInputs, issued_at: datetime
) -> StatementRunResult:
    """Issue the statements of `month` for every contract of `marts.dim_contracts`.

    Reads only the marts of the run (and `payments.*`); writes `payments.*` in one transaction:
    its own, or the caller's when one is open on `con` (the monthly run issues the statements and
    records their evidence in one transaction, and a preview rolls it back).
    Raises `StatementRefused` (nothing written) when a contract has a statement for a later month
    or when an issued statement of `month` has different recorded inputs; `LadderShareMissing` (a
    `StatementRefused`) when a participant-week is a ladder week no row of the refusion ladder
    values;
    `StatementNotReproducible` (a `StatementRefused`) when its inputs are identical but the
    recomputed statement hash differs. Issued rows are never updated or deleted.
    """
    if not MONTH_RE.match(month):
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    missing = missing_tables(con)
    if missing:
        raise ValueError("the payment engine needs these tables, missing: " + ", ".join(missing))
    refuse_if_unvalued_ladder_weeks(con)
    issued = _utc_naive(issued_at)
    own = not open_transaction(con)
    if own:
        con.begin()
    try:
        result = _run(con, month, inputs, issued)
        con.execute(sql("drop_temp_tables"))
        if own:
            con.commit()
    except BaseException:
        if own:
            con.rollback()
        raise
    return result


def open_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the caller has a transaction open on `con`. In auto-commit mode every statement
    gets a new transaction id; inside an open transaction two statements share one. (A failed
    BEGIN would abort the caller's transaction, so none is tried.)"""
    first, second = (con.execute("SELECT txid_current()").fetchall()[0][0] for _ in range(2))
    return first == second


def refuse_if_later_statements(con: duckdb.DuckDBPyConnection, month: str) -> None:
    """Raise `StatementRefused` when any contract has a statement for a month after `month` (the
    engine's own check; a monthly run is refused earlier, by its first step: orchestration/guard.py)."""
    exists = con.execute(sql("statements_table_exists")).fetchall()[0][0]
    later = con.execute(sql("later_statements"), {"month": month}).fetchall() if exists else []
    if later:
        raise StatementRefused(
            f"refused: statements for months after {month} are already issued "
            f"({', '.join(sid for sid, _ in later)}); a month is not issued after a later one. {CORRECTIONS}",
            contracts=tuple(sorted({cid for _, cid in later})),
        )


def refuse_if_unvalued_ladder_weeks(con: duckdb.DuckDBPyConnection, *, shown: int = 5) -> None:
    """Raise `LadderShareMissing` when a covered participant-week is a ladder week that no row of
    the refusion ladder (refusion_ladder.csv) matches by financing, number and Thursday: its
    municipal cost is unknown, so no statement can rest on the marts (finance.md)."""
    weeks = tuple(con.execute(sql("unvalued_ladder_weeks")).fetchall())
    if not weeks:
        return
    listed = "; ".join(f"financing {financing}, ladder week {number}, Thursday {thursday:%Y-%m-%d} "
                       f"({count} participant-week{'s' if count != 1 else ''})"
                       for financing, number, thursday, count in weeks[:shown])
    more = f"; and {len(weeks) - shown} more" if len(weeks) > shown else ""
    raise LadderShareMissing(
        f"refused: no row of the refusion ladder (refusion_ladder.csv) gives the municipal share of "
        f"{listed}{more}. Add or correct its rows (financing, first_week ... last_week, valid_from ... "
        f"valid_to) and run again. Nothing was issued.",
        weeks=weeks,
    )


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _dict_rows(con: duckdb.DuckDBPyConnection, query: str, params: dict | None = None) -> list[dict]:
    cur = con.execute(query, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _run(con: duckdb.DuckDBPyConnection, month: str, inputs: RunInputs, issued_at: datetime) -> StatementRunResult:
    ensure_schema(con, "payments")

    # The contracts of the run: those with a terms file now (dim_contracts is rebuilt every run).
    terms = dict(con.execute(sql("run_contracts")).fetchall())
    without_inputs = sorted(set(terms) - set(inputs.contracts))
    unknown = sorted(set(inputs.contracts) - set(terms))
    if without_inputs or unknown:
        raise ValueError(
            "run inputs do not match marts.dim_contracts: "
            + (f"no inputs for {', '.join(without_inputs)}" if without_inputs else "")
            + ("; " if without_inputs and unknown else "")
            + (f"inputs for contracts without terms: {', '.join(unknown)}" if unknown else "")
        )
    for cid, sha in terms.items():
        if inputs.contracts[cid].terms_sha256 != sha:
            raise ValueError(
                f"run inputs for {cid} name terms {inputs.contracts[cid].terms_sha256}, marts.dim_contracts has {sha}"
            )

    refuse_if_later_statements(con, month)

    stored = {
        r["contract_id"]: r for r in _dict_rows(con, sql("issued_statements"), {"month": month})
    }
    changed: dict[str, list[str]] = {}
    for cid in terms:
        if cid in stored:
            diff = differences(recorded_from_row(stored[cid], inputs.contracts[cid].uses_income),
                               inputs.contracts[cid].recorded())
            if diff:
                changed[cid] = diff
    if changed:
        details = "; ".join(f"{cid}: {', '.join(d)}" for cid, d in sorted(changed.items()))
        raise StatementRefused(
            f"refused: the statements for {month} are already issued and their inputs differ ({details}). "
            f"Nothing was issued. {CORRECTIONS}",
            contracts=tuple(sorted(changed)),
        )

    previous = {
        r["contract_id"]: r
        for r in _dict_rows(con, sql("previous_statements"), {"month": month})
    }

    con.execute(sql("inputs_table"))
    rows = []
    for cid in terms:
        ci = inputs.contracts[cid]
        rec = ci.recorded()
        prev = previous.get(cid)
        cause = None
        if prev is not None:
            diff = differences(recorded_from_row(prev, ci.uses_income), rec)
            cause = f"changed since {prev['statement_id']}: {', '.join(diff)}" if diff else None
        rows.append((
            cid, f"{cid}:{month}", cid not in stored, prev["statement_id"] if prev else None, cause,
            ci.referrals.as_of, ci.terms_sha256, ci.referrals.file_name, ci.referrals.sha256,
            ci.benefits.file_name, ci.benefits.sha256,
            ci.income.file_name if ci.income else None, ci.income.sha256 if ci.income else None,
            ci.reference_files_json(), ci.product_version, ci.git_commit,
        ))
    if rows:
        con.executemany(sql("insert_inputs"), rows)
    con.execute(sql("contracts"))

    compute_entitlement(con)
    compute_lines(con, month)
    compute_budget(con, month)
    hashes = computed_hashes(con)

    # A rerun of an issued month with identical inputs must reproduce the issued statement exactly.
    mismatched = sorted(
        cid for cid in stored if cid in terms and stored[cid]["statement_sha256"] != hashes[f"{cid}:{month}"]
    )
    if mismatched:
        raise StatementNotReproducible(
            f"refused: the statements for {month} of {', '.join(mismatched)} were issued with the same inputs "
            f"but recompute to a different statement hash. Nothing was issued. {CORRECTIONS}",
            contracts=tuple(mismatched),
        )

    con.execute(sql("hashes_table"))
    if hashes:
        con.executemany(sql("insert_hashes"), sorted(hashes.items()))
    con.execute(sql("insert_statements"), {"month": month, "issued_at": issued_at})
    for table in INSERTS[1:]:
        con.execute(sql(f"insert_{table}"))
    # the budget forecast reads the budget entries just inserted (finance.md, "Budget forecast")
    compute_forecast(con, month)
    con.execute(sql("insert_budget_forecast"))
    copies = []
    for cid in terms:
        if cid in stored:
            continue
        ci = inputs.contracts[cid]
        sid = f"{cid}:{month}"
        copies.append((sid, "terms", ci.terms_file, ci.terms_sha256, ci.terms_text))
        copies += [(sid, "reference", f.file_name, f.sha256, f.text) for f in ci.reference_files]
    if copies:
        con.executemany(sql("insert_statement_inputs"), copies)

    return _result(con, month, stored=stored, hashes=hashes, run_ids=set(terms))


def _result(
    con: duckdb.DuckDBPyConnection, month: str, *, stored: dict[str, dict], hashes: dict[str, str], run_ids: set[str]
) -> StatementRunResult:
    """Per statement of the run: the issued figures (as stored, for an unchanged one)."""
    unbooked: dict[str, list[UnbookedAmount]] = {}
    for sid, kind, group, amount, reason in con.execute(sql("unbooked_amounts")).fetchall():
        unbooked.setdefault(sid, []).append(UnbookedAmount(kind, group, amount, reason))
    summaries = []
    for row in _dict_rows(con, sql("statement_totals")):
        row = stored.get(row["contract_id"], row)
        sid = row["statement_id"]
        summaries.append(
            StatementSummary(
                statement_id=sid,
                contract_id=row["contract_id"],
                month=month,
                status="unchanged" if row["contract_id"] in stored else "issued",
                line_count=row["line_count"],
                entitlement_to_date_dkk=row["entitlement_to_date_dkk"],
                lines_total_dkk=row["lines_total_dkk"],
                offset_brought_forward_dkk=row["offset_brought_forward_dkk"],
                amount_payable_dkk=row["amount_payable_dkk"],
                offset_carried_forward_dkk=row["offset_carried_forward_dkk"],
                statement_sha256=row.get("statement_sha256", hashes[sid]),
                unbooked=tuple(unbooked.get(sid, ())),
            )
        )
    gone = [
        r[0]
        for r in con.execute(sql("contracts_with_statements")).fetchall()
        if r[0] not in run_ids
    ]
    return StatementRunResult(month=month, statements=tuple(summaries), contracts_without_terms=tuple(gone))

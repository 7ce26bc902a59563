"""`issue_statements`: one statement run for a month, in one transaction (all contracts or nothing)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import duckdb

from contracts.payments.budget import compute_budget
from contracts.payments.entitlement import compute_entitlement
from contracts.payments.errors import StatementNotReproducible, StatementRefused
from contracts.payments.inputs import RunInputs, differences, recorded_from_row
from contracts.payments.results import StatementRunResult, StatementSummary, UnbookedAmount
from contracts.payments.statements import compute_lines, computed_hashes
from contracts.payments.tables import ensure_payment_tables, missing_tables

MONTH_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")

TEMP_TABLES = (
    "pay_inputs",
    "pay_contracts",
    "pay_participants",
    "pay_savings_years",
    "pay_savings_totals",
    "pay_savings_items",
    "pay_rate_achieved",
    "pay_rate_requirements",
    "pay_rate_items",
    "pay_rate_card_items",
    "pay_cohort_years",
    "pay_cohort_prices",
    "pay_cohort_items",
    "pay_items",
    "pay_item_evidence",
    "pay_posted",
    "pay_previous_items",
    "pay_lines",
    "pay_statement_totals",
    "pay_verified_savings",
    "pay_budget_entries",
    "pay_budget_unbooked",
    "pay_hashes",
)

CORRECTIONS = "Issued statements are never changed: corrections go into the next month's statement."

PAY_INPUTS_DDL = """
CREATE OR REPLACE TEMP TABLE pay_inputs (
    contract_id VARCHAR, statement_id VARCHAR, is_new BOOLEAN, previous_statement_id VARCHAR,
    change_cause VARCHAR, referrals_as_of DATE,
    terms_sha256 VARCHAR, referrals_file VARCHAR, referrals_sha256 VARCHAR,
    benefits_file VARCHAR, benefits_sha256 VARCHAR, income_file VARCHAR, income_sha256 VARCHAR,
    reference_files VARCHAR, product_version VARCHAR, git_commit VARCHAR
)
"""

CONTRACTS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_contracts AS
SELECT r.contract_id, i.statement_id, i.is_new, i.previous_statement_id, i.change_cause,
       i.referrals_as_of, r.mechanism,
       CAST(r.cohort_start_to AS DATE) AS cohort_start_to,
       CAST(r.follow_up_years AS INTEGER) AS follow_up_years,
       nullif(trim(r.payment_account), '') AS payment_account,
       CAST(r.outlay_dkk AS DECIMAL(18,2)) AS outlay_dkk,
       r.investor_share,
       CAST(r.cap_dkk AS DECIMAL(18,2)) AS cap_dkk,
       CAST(r.cap_per_participant_dkk AS DECIMAL(18,2)) AS cap_per_participant_dkk,
       CAST(r.cap_total_dkk AS DECIMAL(18,2)) AS cap_total_dkk,
       CAST(r.target_year AS INTEGER) AS target_year,
       r.target_share,
       CAST(r.target_amount_dkk AS DECIMAL(18,2)) AS target_amount_dkk,
       r.below_target
FROM raw.contracts r JOIN pay_inputs i USING (contract_id)
"""

INSERT_SQL = (
    """
    INSERT INTO payments.statements BY NAME
    SELECT t.statement_id, t.contract_id, $month AS month, $issued_at AS issued_at,
           t.entitlement_to_date_dkk, t.lines_total_dkk, t.offset_brought_forward_dkk,
           t.amount_payable_dkk, t.offset_carried_forward_dkk,
           i.terms_sha256, i.referrals_file, i.referrals_sha256, i.benefits_file, i.benefits_sha256,
           i.income_file, i.income_sha256, i.reference_files, i.product_version,
           h.statement_sha256, t.total_dkk, i.git_commit, t.line_count
    FROM pay_statement_totals t
    JOIN pay_inputs i ON i.contract_id = t.contract_id
    JOIN pay_hashes h ON h.statement_id = t.statement_id
    WHERE t.is_new
    ORDER BY t.statement_id
    """,
    """
    INSERT INTO payments.statement_lines BY NAME
    SELECT l.statement_id, l.line_no, l.item_key, l.person_key, l.outcome_id, l.follow_up_year,
           l.kind, l.previous_amount_dkk, l.new_amount_dkk, l.amount_dkk, l.explanation
    FROM pay_lines l JOIN pay_contracts c ON c.contract_id = l.contract_id
    WHERE c.is_new
    ORDER BY l.statement_id, l.line_no
    """,
    """
    INSERT INTO payments.entitlement_items BY NAME
    SELECT c.statement_id, e.item_key, e.person_key, e.outcome_id, e.follow_up_year,
           e.achievement_week, e.achievement_date, e.price_dkk, e.reduction_dkk, e.amount_dkk,
           e.evidence_status, e.basis
    FROM pay_items e JOIN pay_contracts c ON c.contract_id = e.contract_id
    WHERE c.is_new
    ORDER BY c.statement_id, encode(e.item_key)
    """,
    """
    INSERT INTO payments.item_evidence BY NAME
    SELECT c.statement_id, v.item_key, v.role, v.person_key, v.outcome_id, v.follow_up_year,
           v.achievement_week, v.outcome_status, v.savings_dkk, v.counted
    FROM pay_item_evidence v JOIN pay_contracts c ON c.contract_id = v.contract_id
    WHERE c.is_new
    ORDER BY c.statement_id, encode(v.item_key), v.role, encode(v.person_key), v.follow_up_year
    """,
    """
    INSERT INTO payments.statement_savings BY NAME
    SELECT s.statement_id, s.benefit_group, s.account, s.verified_savings_dkk, s.change_dkk
    FROM pay_verified_savings s JOIN pay_contracts c ON c.contract_id = s.contract_id
    WHERE c.is_new
    ORDER BY s.statement_id, encode(s.benefit_group)
    """,
    """
    INSERT INTO payments.budget_entries BY NAME
    SELECT b.statement_id, b.budget_year, b.account, b.kind, b.amount_dkk, b.benefit_group
    FROM pay_budget_entries b JOIN pay_contracts c ON c.statement_id = b.statement_id
    WHERE c.is_new
    ORDER BY b.statement_id, b.kind, encode(b.account), encode(coalesce(b.benefit_group, ''))
    """,
    """
    INSERT INTO payments.budget_unbooked BY NAME
    SELECT b.statement_id, b.kind, b.benefit_group, b.amount_dkk, b.reason
    FROM pay_budget_unbooked b JOIN pay_contracts c ON c.statement_id = b.statement_id
    WHERE c.is_new
    ORDER BY b.statement_id, b.kind, encode(coalesce(b.benefit_group, ''))
    """,
)


def issue_statements(
    con: duckdb.DuckDBPyConnection, *, month: str, inputs: RunInputs, issued_at: datetime
) -> StatementRunResult:
    """Issue the statements of `month` for every contract of `raw.contracts`.

    Reads the marts and `raw.contract*` tables of the run; writes `payments.*` in one transaction:
    its own, or the caller's when one is open on `con` (the monthly run issues the statements and
    records their evidence in one transaction, and a preview rolls it back).
    Raises `StatementRefused` (nothing written) when a contract has a statement for a later month
    or when an issued statement of `month` has different recorded inputs;
    `StatementNotReproducible` (a `StatementRefused`) when its inputs are identical but the
    recomputed statement hash differs. Issued rows are never updated or deleted.
    """
    if not MONTH_RE.match(month):
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    missing = missing_tables(con)
    if missing:
        raise ValueError("the payment engine needs these tables, missing: " + ", ".join(missing))
    issued = _utc_naive(issued_at)
    own = not open_transaction(con)
    if own:
        con.begin()
    try:
        result = _run(con, month, inputs, issued)
        for name in TEMP_TABLES:
            con.execute(f"DROP TABLE IF EXISTS temp.{name}")
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
    """Raise `StatementRefused` when any contract has a statement for a month after `month`.
    Also called before a run loads and builds anything, so a refused month costs nothing."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'payments' AND table_name = 'statements'"
    ).fetchall()[0][0]
    later = con.execute(
        "SELECT statement_id, contract_id FROM payments.statements WHERE month > ? ORDER BY statement_id", [month]
    ).fetchall() if exists else []
    if later:
        raise StatementRefused(
            f"refused: statements for months after {month} are already issued "
            f"({', '.join(sid for sid, _ in later)}); a month is not issued after a later one. {CORRECTIONS}",
            contracts=tuple(sorted({cid for _, cid in later})),
        )


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _dict_rows(con: duckdb.DuckDBPyConnection, query: str, params: list | dict | None = None) -> list[dict]:
    cur = con.execute(query, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _run(con: duckdb.DuckDBPyConnection, month: str, inputs: RunInputs, issued_at: datetime) -> StatementRunResult:
    ensure_payment_tables(con)

    # The contracts of the run: those with a terms file now (raw.contracts is replaced every run).
    terms = dict(
        con.execute("SELECT contract_id, terms_sha256 FROM raw.contracts ORDER BY contract_id").fetchall()
    )
    without_inputs = sorted(set(terms) - set(inputs.contracts))
    unknown = sorted(set(inputs.contracts) - set(terms))
    if without_inputs or unknown:
        raise ValueError(
            "run inputs do not match raw.contracts: "
            + (f"no inputs for {', '.join(without_inputs)}" if without_inputs else "")
            + ("; " if without_inputs and unknown else "")
            + (f"inputs for contracts without terms: {', '.join(unknown)}" if unknown else "")
        )
    for cid, sha in terms.items():
        if inputs.contracts[cid].terms_sha256 != sha:
            raise ValueError(
                f"run inputs for {cid} name terms {inputs.contracts[cid].terms_sha256}, raw.contracts has {sha}"
            )

    refuse_if_later_statements(con, month)

    stored = {
        r["contract_id"]: r for r in _dict_rows(con, "SELECT * FROM payments.statements WHERE month = ?", [month])
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
        for r in _dict_rows(
            con,
            "SELECT * FROM payments.statements WHERE month < ? "
            "QUALIFY row_number() OVER (PARTITION BY contract_id ORDER BY month DESC) = 1",
            [month],
        )
    }

    con.execute(PAY_INPUTS_DDL)
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
        con.executemany("INSERT INTO pay_inputs VALUES (" + ", ".join(["?"] * 16) + ")", rows)
    con.execute(CONTRACTS_SQL)

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

    con.execute("CREATE OR REPLACE TEMP TABLE pay_hashes (statement_id VARCHAR, statement_sha256 VARCHAR)")
    if hashes:
        con.executemany("INSERT INTO pay_hashes VALUES (?, ?)", sorted(hashes.items()))
    params = {"month": month, "issued_at": issued_at}
    con.execute(INSERT_SQL[0], params)
    for sql in INSERT_SQL[1:]:
        con.execute(sql)
    copies = []
    for cid in terms:
        if cid in stored:
            continue
        ci = inputs.contracts[cid]
        sid = f"{cid}:{month}"
        copies.append((sid, "terms", ci.terms_file, ci.terms_sha256, ci.terms_text))
        copies += [(sid, "reference", f.file_name, f.sha256, f.text) for f in ci.reference_files]
    if copies:
        con.executemany("INSERT INTO payments.statement_inputs VALUES (?, ?, ?, ?, ?)", copies)

    return _result(con, month, stored=stored, hashes=hashes, run_ids=set(terms))


def _result(
    con: duckdb.DuckDBPyConnection, month: str, *, stored: dict[str, dict], hashes: dict[str, str], run_ids: set[str]
) -> StatementRunResult:
    """Per statement of the run: the issued figures (as stored, for an unchanged one)."""
    unbooked: dict[str, list[UnbookedAmount]] = {}
    for sid, kind, group, amount, reason in con.execute(
        "SELECT statement_id, kind, benefit_group, amount_dkk, reason FROM pay_budget_unbooked "
        "ORDER BY statement_id, kind, benefit_group NULLS FIRST"
    ).fetchall():
        unbooked.setdefault(sid, []).append(UnbookedAmount(kind, group, amount, reason))
    summaries = []
    for row in _dict_rows(con, "SELECT * FROM pay_statement_totals ORDER BY contract_id"):
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
        for r in con.execute("SELECT DISTINCT contract_id FROM payments.statements ORDER BY contract_id").fetchall()
        if r[0] not in run_ids
    ]
    return StatementRunResult(month=month, statements=tuple(summaries), contracts_without_terms=tuple(gone))

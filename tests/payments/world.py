"""The payment-engine tests' warehouse: the input tables the engine reads, built by plain SQL.

The tables mirror `docs/architecture.md` (raw.contract*, raw.selected_vintages, reference.benefit_groups)
and the marts the engine reads; the rows are small and hand-made, no dbt or ingest involved.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
from contracts.terms import create_terms_tables
from orchestration.ingest.tables import create_ingest_tables
from contracts.payments import ReferenceFile, RunInputs, StatementRunResult, issue_statements

#: The marts the engine reads, as dbt builds them (the raw tables come from the product's own DDL).
INPUT_DDL = """
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS reference;
CREATE TABLE marts.dim_participants(contract_id VARCHAR, person_key VARCHAR, referral_date DATE,
    start_date DATE, start_week VARCHAR, excluded_reason VARCHAR, baseline_complete BOOLEAN);
CREATE TABLE marts.fct_outcome_years(contract_id VARCHAR, person_key VARCHAR, follow_up_year INTEGER,
    weeks_self_supporting INTEGER, weeks_partial INTEGER, weeks_public_support INTEGER,
    weeks_not_covered INTEGER, outcome_status VARCHAR, actual_cost_dkk DECIMAL(18,2),
    baseline_cost_dkk DECIMAL(18,2), savings_dkk DECIMAL(18,2));
CREATE TABLE marts.fct_outcome_year_savings(contract_id VARCHAR, person_key VARCHAR,
    follow_up_year INTEGER, benefit_group VARCHAR, actual_cost_dkk DECIMAL(18,2),
    baseline_cost_dkk DECIMAL(18,2), savings_dkk DECIMAL(18,2));
CREATE TABLE marts.fct_participant_weeks(contract_id VARCHAR, person_key VARCHAR, follow_up_week INTEGER,
    follow_up_year INTEGER, iso_week VARCHAR, benefit_code BIGINT, benefit_group VARCHAR,
    employment_hours DECIMAL(18,2), status VARCHAR, cost_dkk DECIMAL(18,2),
    source_file_sha256 VARCHAR, source_line INTEGER, week_start DATE, month VARCHAR, covered BOOLEAN);
CREATE TABLE marts.fct_streak_outcomes(contract_id VARCHAR, person_key VARCHAR, outcome_id VARCHAR,
    achievement_week INTEGER, achievement_date DATE, streak_status VARCHAR);
CREATE TABLE reference.benefit_groups(benefit_group VARCHAR, label VARCHAR, is_public_support BOOLEAN,
    account VARCHAR, financing VARCHAR);
INSERT INTO reference.benefit_groups VALUES
    ('none', 'Ingen ydelse', false, NULL, 'none'),
    ('dagpenge', 'Arbejdsløshedsdagpenge', true, '5.57.78', 'cofinancing'),
    ('kontanthjaelp', 'Kontant- og uddannelseshjælp', true, '5.57.73', 'refusion'),
    ('sygedagpenge', 'Sygedagpenge', true, '5.57.71', 'refusion'),
    ('foertidspension', 'Førtidspension', true, NULL, 'cofinancing');
"""

REFERENCE_FILES = (
    ReferenceFile.from_bytes("benefit_groups.csv", b"benefit_group,label\nnone,Ingen ydelse\n"),
    ReferenceFile.from_bytes("benefit_rates.csv", b"benefit_group,price_year,weekly_rate_dkk\n"),
)
VERSION = "0.1.0"
ISSUED_AT = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)

PARAMS = (
    "payment_account",
    "outlay_dkk",
    "investor_share",
    "cap_dkk",
    "cap_per_participant_dkk",
    "cap_total_dkk",
    "target_year",
    "target_share",
    "target_amount_dkk",
    "below_target",
    "cohort_start_to",
    "follow_up_years",
    "employment_hours_per_month",
)


def pk(n: int) -> str:
    """A person key: 32 lowercase hex characters."""
    return f"{n:032x}"


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def monday_of(d: date) -> date:
    return date.fromordinal(d.toordinal() - d.weekday())


class World:
    """A warehouse with the engine's input tables and helpers to fill them."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        create_ingest_tables(con)
        create_terms_tables(con)
        con.execute(INPUT_DDL)

    # --- terms --------------------------------------------------------------------------------
    def contract(self, contract_id: str, mechanism: str, *, terms: str | None = None, **params) -> None:
        unknown = set(params) - set(PARAMS)
        assert not unknown, unknown
        values = {
            "payment_account": "5.68.90",
            "cohort_start_to": date(2021, 6, 30),
            "follow_up_years": 3,
        } | params
        text = terms if terms is not None else f"id: {contract_id}\nmechanism: {mechanism}\n{sorted(params.items())}\n"
        self.con.execute("DELETE FROM raw.contracts WHERE contract_id = ?", [contract_id])
        self.con.execute(
            f"""INSERT INTO raw.contracts (contract_id, name, payer, investor, provider, mechanism, terms_file,
                terms_sha256, terms_yaml, cohort_start_from, has_baseline, {", ".join(values)})
                VALUES (?, ?, 'Kommune', 'Fond', 'Leverandør', ?, ?, ?, ?, DATE '2020-01-01', ?,
                {", ".join("?" for _ in values)})""",
            [contract_id, contract_id.upper(), mechanism, f"{contract_id}.yml", sha(text), text,
             mechanism == "savings_share", *values.values()],
        )

    def retire(self, contract_id: str) -> None:
        """The terms file is removed: raw.contracts no longer holds the contract."""
        self.con.execute("DELETE FROM raw.contracts WHERE contract_id = ?", [contract_id])

    def statuses(self, contract_id: str, purpose: str, statuses: tuple[str, ...]) -> None:
        for s in statuses:
            self.con.execute("INSERT INTO raw.contract_year_statuses VALUES (?, ?, ?)", [contract_id, purpose, s])

    def outcome(
        self,
        contract_id: str,
        position: int,
        outcome_id: str,
        kind: str,
        price: str,
        *,
        weeks: int | None = None,
        within: int | None = None,
        requires: str | None = None,
        statuses: tuple[str, ...] = (),
        years: tuple[int, ...] = (),
    ) -> None:
        self.con.execute(
            "INSERT INTO raw.contract_rate_card_outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [contract_id, position, outcome_id, kind, weeks, within, requires, D(price)],
        )
        for s in statuses or (("self_supporting",) if kind == "streak" else ()):
            self.con.execute("INSERT INTO raw.contract_outcome_statuses VALUES (?, ?, ?)", [contract_id, outcome_id, s])
        for y in years:
            self.con.execute("INSERT INTO raw.contract_outcome_years VALUES (?, ?, ?)", [contract_id, outcome_id, y])

    # --- marts --------------------------------------------------------------------------------
    def participant(
        self,
        contract_id: str,
        person: str,
        start: date = date(2020, 3, 4),
        *,
        excluded_reason: str | None = None,
        baseline_complete: bool | None = None,
    ) -> None:
        self.con.execute(
            "INSERT INTO marts.dim_participants VALUES (?, ?, ?, ?, NULL, ?, ?)",
            [contract_id, person, start, start, excluded_reason, baseline_complete],
        )

    def year(
        self,
        contract_id: str,
        person: str,
        k: int,
        status: str,
        *,
        savings: str | None = None,
        baseline: str | None = None,
    ) -> None:
        if savings is not None and baseline is None:
            baseline = savings
        actual = None if baseline is None or savings is None else D(baseline) - D(savings)
        self.con.execute(
            "DELETE FROM marts.fct_outcome_years WHERE contract_id = ? AND person_key = ? AND follow_up_year = ?",
            [contract_id, person, k],
        )
        self.con.execute(
            "INSERT INTO marts.fct_outcome_years VALUES (?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?)",
            [contract_id, person, k, 52 if status == "pending" else 0, status, actual,
             None if baseline is None else D(baseline), None if savings is None else D(savings)],
        )

    def group_savings(self, contract_id: str, person: str, k: int, group: str, savings: str) -> None:
        self.con.execute(
            "INSERT INTO marts.fct_outcome_year_savings VALUES (?, ?, ?, ?, 0, ?, ?)",
            [contract_id, person, k, group, D(savings), D(savings)],
        )

    def weeks(self, contract_id: str, person: str, start: date, years: int = 3) -> None:
        """Follow-up weeks 1 … 52·years with their Monday (only what the engine reads)."""
        self.con.execute(
            """INSERT INTO marts.fct_participant_weeks (contract_id, person_key, follow_up_week, follow_up_year,
                   status, week_start, covered)
               SELECT ?, ?, w, (w - 1) // 52 + 1, 'self_supporting',
                      CAST(date_trunc('week', CAST(? AS DATE)) AS DATE) + CAST(7 * (w - 1) AS INTEGER), TRUE
               FROM range(1, 52 * ? + 1) t(w)""",
            [contract_id, person, start, years],
        )

    def streak(
        self, contract_id: str, person: str, outcome_id: str, week: int | None, status: str = "verified",
        start: date = date(2020, 3, 4),
    ) -> None:
        when = None if week is None else date.fromordinal(monday_of(start).toordinal() + 7 * (week - 1))
        self.con.execute(
            "DELETE FROM marts.fct_streak_outcomes WHERE contract_id = ? AND person_key = ? AND outcome_id = ?",
            [contract_id, person, outcome_id],
        )
        self.con.execute(
            "INSERT INTO marts.fct_streak_outcomes VALUES (?, ?, ?, ?, ?, ?)",
            [contract_id, person, outcome_id, week, when, status],
        )

    # --- vintages and runs ----------------------------------------------------------------------
    def vintages(
        self,
        month: str,
        *,
        referrals: str = "referrals_2021-08-31.csv",
        referrals_as_of: date = date(2021, 8, 31),
        benefits: str = "dream_2024W10.csv",
        income: str | None = None,
    ) -> None:
        self.con.execute("DELETE FROM raw.selected_vintages WHERE run_month = ?", [month])
        rows = [
            (month, "referrals", 1, referrals, sha(referrals), referrals_as_of, None, None),
            (month, "benefits", 2, benefits, sha(benefits), date(2024, 3, 10), date(2019, 1, 7), date(2024, 3, 10)),
        ]
        if income:
            end = date(2024, 2, 29)
            rows.append((month, "income", 3, income, sha(income), end, date(2019, 1, 1), end))
        self.con.executemany("INSERT INTO raw.selected_vintages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def inputs(self, month: str, *, version: str = VERSION, refs=REFERENCE_FILES) -> RunInputs:
        if not self.rows("SELECT count(*) FROM raw.selected_vintages WHERE run_month = ?", [month])[0][0]:
            self.vintages(month)
        return RunInputs.from_warehouse(self.con, month=month, reference_files=refs, product_version=version)

    def run(
        self, month: str, *, issued_at: datetime = ISSUED_AT, inputs: RunInputs | None = None
    ) -> StatementRunResult:
        return issue_statements(self.con, month=month, inputs=inputs or self.inputs(month), issued_at=issued_at)

    # --- reading back ---------------------------------------------------------------------------
    def rows(self, query: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(query, params or []).fetchall()

    def lines(self, statement_id: str) -> list[tuple]:
        """(line_no, item_key, kind, previous, new, amount) of a statement."""
        return self.rows(
            "SELECT line_no, item_key, kind, previous_amount_dkk, new_amount_dkk, amount_dkk "
            "FROM payments.statement_lines WHERE statement_id = ? ORDER BY line_no",
            [statement_id],
        )

    def items(self, statement_id: str) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
        """item_key → (price, reduction, amount)."""
        return {
            k: (p, r, a)
            for k, p, r, a in self.rows(
                "SELECT item_key, price_dkk, reduction_dkk, amount_dkk FROM payments.entitlement_items "
                "WHERE statement_id = ?",
                [statement_id],
            )
        }

    def statement(self, statement_id: str) -> dict:
        cur = self.con.execute("SELECT * FROM payments.statements WHERE statement_id = ?", [statement_id])
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        assert len(rows) == 1, rows
        return dict(zip(names, rows[0], strict=True))

    def dump(self) -> dict[str, list[tuple]]:
        """Every payments table, rows sorted: for 'nothing changed' checks."""
        tables = [r[0] for r in self.rows(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'payments' ORDER BY table_name")]
        return {t: sorted(self.rows(f"SELECT * FROM payments.{t}"), key=repr) for t in tables}

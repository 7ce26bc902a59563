"""The payment-engine tests' warehouse: the marts the engine reads, filled by hand.

The marts are created from their dbt contracts (`tests.marts.create_marts`), the raw tables the
audit tests also copy from with the product's own DDL (`warehouse_schema`); the rows are small
and hand-made, no dbt or ingest run involved. Two marts are derived when a run starts, as dbt
would: `fct_rate_card_achievements` by the product's own model SQL over the hand-made streak and
year rows, and the selected vintages of the run's month.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
from contracts.payments import ReferenceFile, RunInputs, StatementRunResult, issue_statements
from contracts.terms import create_terms_tables
from tests.marts import create_marts, model_sql
from warehouse_schema import ensure_schema

#: The reference data the engine reads (dim_benefit_groups, as built from benefit_groups.csv).
BENEFIT_GROUPS = """
INSERT INTO marts.dim_benefit_groups (benefit_group, label, is_public_support, account, financing) VALUES
    ('none', 'Ingen ydelse', false, NULL, 'none'),
    ('dagpenge', 'Arbejdsløshedsdagpenge', true, '5.57.78', 'cofinancing'),
    ('kontanthjaelp', 'Kontant- og uddannelseshjælp', true, '5.57.73', 'refusion'),
    ('sygedagpenge', 'Sygedagpenge', true, '5.57.71', 'refusion'),
    ('foertidspension', 'Førtidspension', true, NULL, 'cofinancing');
"""

#: The dbt model behind fct_rate_card_achievements, over views of the hand-made marts (the
#: compact participant_id of the intermediate layer is made up here, per contract and person).
ACHIEVEMENT_INPUTS = """
CREATE OR REPLACE TEMP VIEW fixture_participant_ids AS
SELECT contract_id, person_key, CAST(row_number() OVER (ORDER BY contract_id, person_key) AS INTEGER) AS participant_id
FROM (SELECT contract_id, person_key FROM marts.fct_streak_outcomes
      UNION SELECT contract_id, person_key FROM marts.fct_outcome_years);
CREATE OR REPLACE TEMP VIEW fixture_streaks AS
SELECT i.participant_id, s.* FROM marts.fct_streak_outcomes s JOIN fixture_participant_ids i USING (contract_id, person_key);
CREATE OR REPLACE TEMP VIEW fixture_years AS
SELECT i.participant_id, y.* FROM marts.fct_outcome_years y JOIN fixture_participant_ids i USING (contract_id, person_key);
"""

# The year statuses a contract's payment counts, as int_outcome_years_counted sets
# counts_for_payment (pinned by its dbt unit test year_counts_for_payment_by_the_mechanisms_status_list).
COUNTS_FOR_PAYMENT = """
UPDATE marts.fct_outcome_years AS y SET counts_for_payment = CASE
    WHEN c.mechanism = 'savings_share' THEN y.is_complete AND (
        NOT EXISTS (SELECT 1 FROM raw.contract_year_statuses s
                    WHERE s.contract_id = y.contract_id AND s.purpose = 'count_savings_when')
        OR EXISTS (SELECT 1 FROM raw.contract_year_statuses s WHERE s.contract_id = y.contract_id
                   AND s.purpose = 'count_savings_when' AND s.outcome_status = y.outcome_status))
    WHEN c.mechanism = 'cohort_target' THEN y.is_complete AND y.follow_up_year = t.target_year AND
        EXISTS (SELECT 1 FROM raw.contract_year_statuses s WHERE s.contract_id = y.contract_id
                AND s.purpose = 'target_statuses' AND s.outcome_status = y.outcome_status)
    END
FROM marts.dim_contracts c, marts.dim_payment_terms t
WHERE c.contract_id = y.contract_id AND t.contract_id = y.contract_id
"""

REFERENCE_FILES = (
    ReferenceFile.from_bytes("benefit_groups.csv", b"benefit_group,label\nnone,Ingen ydelse\n"),
    ReferenceFile.from_bytes("benefit_rates.csv", b"benefit_group,price_year,weekly_rate_dkk\n"),
)
VERSION = "0.1.0"
ISSUED_AT = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)

PAYMENT_TERMS = (
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
)
PARAMS = (*PAYMENT_TERMS, "cohort_start_to", "follow_up_years", "employment_hours_per_month")


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
        ensure_schema(con, "raw", "audit")
        create_terms_tables(con)   # the fixture's store of outcome and year-status lists
        create_marts(con)
        con.execute(BENEFIT_GROUPS)

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
        self.retire(contract_id)
        self.con.execute(
            """INSERT INTO marts.dim_contracts BY NAME
               SELECT ? AS contract_id, ? AS name, 'Kommune' AS payer, 'Fond' AS investor,
                      'Leverandør' AS provider, ? AS mechanism, ? AS terms_sha256, ? AS terms_file,
                      ? AS follow_up_years, ? AS uses_employment_hours, ? AS has_baseline,
                      DATE '2020-01-01' AS cohort_start_from, ? AS cohort_start_to, ? AS terms_yaml""",
            [contract_id, contract_id.upper(), mechanism, sha(text), f"{contract_id}.yml",
             values["follow_up_years"], values.get("employment_hours_per_month") is not None,
             mechanism == "savings_share", values["cohort_start_to"], text],
        )
        terms = {k: v for k, v in values.items() if k in PAYMENT_TERMS}
        self.con.execute(
            f"""INSERT INTO marts.dim_payment_terms (contract_id, {", ".join(terms)})
                VALUES (?, {", ".join("?" for _ in terms)})""",
            [contract_id, *terms.values()],
        )

    def business_case(self, contract_id: str, participants: int | None, *, savings: tuple[str, ...] = (),
                      group: str | None = None, success_share: str | None = None, lag: int = 2) -> None:
        """The terms' `forecast:` as the marts hold it (dim_contract_forecasts and its savings)."""
        self.con.execute("DELETE FROM marts.dim_contract_forecasts WHERE contract_id = ?", [contract_id])
        self.con.execute("DELETE FROM marts.dim_contract_forecast_savings WHERE contract_id = ?", [contract_id])
        self.con.execute(
            "INSERT INTO marts.dim_contract_forecasts VALUES (?, ?, ?, ?, ?)",
            [contract_id, lag, participants, group, None if success_share is None else D(success_share)])
        for k, amount in enumerate(savings, start=1):
            self.con.execute("INSERT INTO marts.dim_contract_forecast_savings VALUES (?, ?, ?)",
                             [contract_id, k, D(amount)])

    def forecast(self, month: str, contract_id: str) -> list[tuple]:
        """(budget_year, account, kind, actual, expected, total, basis) of a run month's forecast."""
        return self.rows(
            "SELECT budget_year, account, kind, actual_dkk, expected_dkk, total_dkk, basis "
            "FROM payments.budget_forecast WHERE forecast_month = ? AND contract_id = ? ORDER BY ALL",
            [month, contract_id])

    def retire(self, contract_id: str) -> None:
        """The terms file is removed: the marts no longer hold the contract."""
        for table in ("dim_contracts", "dim_payment_terms"):
            self.con.execute(f"DELETE FROM marts.{table} WHERE contract_id = ?", [contract_id])

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
            "INSERT INTO marts.dim_rate_card_outcomes (contract_id, outcome_id, outcome_position, outcome_kind, "
            "streak_weeks, within_weeks, requires_outcome_id, price_dkk) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [contract_id, outcome_id, position, kind, weeks, within, requires, D(price)],
        )
        for s in statuses or (("self_supporting",) if kind == "streak" else ()):
            self.con.execute("INSERT INTO raw.contract_outcome_statuses VALUES (?, ?, ?)", [contract_id, outcome_id, s])
        for y in years:
            self.con.execute("INSERT INTO raw.contract_outcome_years VALUES (?, ?, ?)", [contract_id, outcome_id, y])
            self.con.execute("INSERT INTO marts.dim_rate_card_outcome_years VALUES (?, ?, ?)",
                             [contract_id, outcome_id, y])

    def clear_outcomes(self) -> None:
        """Every contract's rate-card outcomes are removed (before new terms list them again)."""
        self.con.execute("DELETE FROM marts.dim_rate_card_outcomes; DELETE FROM raw.contract_outcome_statuses; "
                         "DELETE FROM raw.contract_outcome_years; DELETE FROM marts.dim_rate_card_outcome_years")

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
            "INSERT INTO marts.dim_participants (contract_id, person_key, referral_date, start_date, "
            "excluded_reason, baseline_complete) VALUES (?, ?, ?, ?, ?, ?)",
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
        # achievement_date: the Monday of follow-up week 52k of the participant (if listed yet)
        self.con.execute(
            """INSERT INTO marts.fct_outcome_years BY NAME
               SELECT ? AS contract_id, ? AS person_key, ? AS follow_up_year, 0 AS weeks_self_supporting,
                      0 AS weeks_partial, 0 AS weeks_public_support, ? AS weeks_not_covered,
                      ? AS outcome_status, ? AS actual_cost_dkk, ? AS baseline_cost_dkk, ? AS savings_dkk,
                      ? AS is_complete,
                      (SELECT CAST(date_trunc('week', start_date) AS DATE) + CAST(7 * (52 * ? - 1) AS INTEGER)
                       FROM marts.dim_participants WHERE contract_id = ? AND person_key = ?) AS achievement_date""",
            [contract_id, person, k, 52 if status == "pending" else 0, status, actual,
             None if baseline is None else D(baseline), None if savings is None else D(savings),
             status != "pending", k, contract_id, person],
        )

    def group_savings(self, contract_id: str, person: str, k: int, group: str, savings: str, *,
                      gross: str | None = None, municipal: str | None = None) -> None:
        """savings[p, k, g] in the contract's basis; gross and municipal default to the same figure."""
        self.con.execute(
            "INSERT INTO marts.fct_outcome_year_savings (contract_id, person_key, follow_up_year, benefit_group, "
            "actual_cost_dkk, baseline_cost_dkk, savings_dkk, gross_savings_dkk, municipal_savings_dkk) "
            "VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)",
            [contract_id, person, k, group, D(savings), D(savings), D(gross or savings), D(municipal or savings)],
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
            "INSERT INTO marts.fct_streak_outcomes (contract_id, person_key, outcome_id, achievement_week, "
            "achievement_date, streak_status) VALUES (?, ?, ?, ?, ?, ?)",
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
        self.select(month)

    def select(self, month: str) -> None:
        """The marts are now those of `month`: its selected vintages in dim_selected_vintages."""
        self.con.execute("DELETE FROM marts.dim_selected_vintages")
        self.con.execute("INSERT INTO marts.dim_selected_vintages BY NAME SELECT * FROM raw.selected_vintages "
                         "WHERE run_month = ?", [month])

    def inputs(self, month: str, *, version: str = VERSION, refs=REFERENCE_FILES) -> RunInputs:
        if not self.rows("SELECT count(*) FROM raw.selected_vintages WHERE run_month = ?", [month])[0][0]:
            self.vintages(month)
        self.build(month)
        return RunInputs.from_warehouse(self.con, month=month, reference_files=refs, product_version=version)

    def build(self, month: str) -> None:
        """What dbt derives for a run of `month`: its selected vintages, the years' counts for the
        payment, the rate-card achievements (by the product's model SQL)."""
        con = self.con
        self.select(month)
        con.execute(COUNTS_FOR_PAYMENT)
        con.execute(ACHIEVEMENT_INPUTS)
        evaluated = model_sql("int_rate_card_achievements_evaluated", {
            "stg_contract_terms__rate_card_outcomes": "marts.dim_rate_card_outcomes",
            "stg_contract_terms__outcome_statuses": "raw.contract_outcome_statuses",
            "stg_contract_terms__outcome_years": "raw.contract_outcome_years",
            "int_streak_outcomes_evaluated": "fixture_streaks",
            "int_outcome_years_counted": "fixture_years",
        })
        con.execute("DELETE FROM marts.fct_rate_card_achievements")
        con.execute("INSERT INTO marts.fct_rate_card_achievements BY NAME " + model_sql(
            "fct_rate_card_achievements", {"int_rate_card_achievements_evaluated": f"({evaluated})"}))

    def run(
        self, month: str, *, issued_at: datetime = ISSUED_AT, inputs: RunInputs | None = None
    ) -> StatementRunResult:
        if inputs is None:
            inputs = self.inputs(month)
        else:
            self.build(month)
        return issue_statements(self.con, month=month, inputs=inputs, issued_at=issued_at)

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

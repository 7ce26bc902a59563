"""Hand-made rows in the `raw.*` tables for the outcomes tests.

The tables are created by the product's own DDL (ingest and contract-terms rooms), so the tests
cannot drift from what the pipeline writes; a `RawWarehouse` collects rows in Python and writes
them in one go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from contracts.terms import create_terms_tables
from warehouse_schema import ensure_schema

def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The raw tables exactly as the product creates them (ingest and contract-terms rooms)."""
    ensure_schema(con, "raw", "audit")
    create_terms_tables(con)


CONTRACT_COLUMNS = (
    "contract_id", "name", "payer", "investor", "provider", "mechanism", "terms_file",
    "terms_sha256", "terms_yaml", "cohort_start_from", "cohort_start_to", "max_participants",
    "follow_up_years", "employment_hours_per_month", "full_weeks", "partial_weeks", "price_year",
    "payment_account", "has_baseline", "outlay_dkk", "investor_share", "cap_dkk",
    "cap_per_participant_dkk", "cap_total_dkk", "target_year", "target_share",
    "target_amount_dkk", "below_target", "valuation_basis", "verification_lag_months",
)

REFERRALS_LOAD, BENEFITS_LOAD, INCOME_LOAD = 1, 2, 3
REFERRALS_SHA, BENEFITS_SHA, INCOME_SHA = "a" * 64, "b" * 64, "c" * 64


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.isoweekday() - 1)


@dataclass
class RawWarehouse:
    """Rows of the raw tables for one run month; `write(path)` creates the DuckDB file."""

    run_month: str
    benefit_coverage: tuple[dt.date, dt.date]
    income_coverage: tuple[dt.date, dt.date] | None
    referrals_vintage: dt.date
    contracts: list[tuple] = field(default_factory=list)
    status_groups: list[tuple] = field(default_factory=list)
    weekly_rates: list[tuple] = field(default_factory=list)
    baseline_factors: list[tuple] = field(default_factory=list)
    rate_card_outcomes: list[tuple] = field(default_factory=list)
    outcome_statuses: list[tuple] = field(default_factory=list)
    outcome_years: list[tuple] = field(default_factory=list)
    referrals: list[tuple] = field(default_factory=list)
    benefit_persons: list[tuple] = field(default_factory=list)
    benefit_weeks: list[tuple] = field(default_factory=list)
    line_months: list[tuple] = field(default_factory=list)
    uncovered_months: list[tuple] = field(default_factory=list)

    def add_contract(self, contract_id: str, *, mechanism: str = "savings_share",
                     start_from: dt.date, start_to: dt.date, max_participants: int | None = None,
                     years: int = 1, hours_per_month: str | None = None, full_weeks: int = 26,
                     partial_weeks: int = 13, price_year: int = 2024,
                     self_supporting: tuple[str, ...] = ("none", "education", "leave"),
                     partial: tuple[str, ...] = (), rates: dict[str, str] | None = None,
                     factors: tuple[str, ...] | None = None, basis: str = "gross",
                     outlay: str | None = None, investor_share: str | None = None) -> None:
        has_baseline = factors is not None
        values = dict.fromkeys(CONTRACT_COLUMNS)
        values.update(
            contract_id=contract_id, name=f"Contract {contract_id}", payer="Kommune",
            investor="Fond", provider="Udbyder", mechanism=mechanism,
            terms_file=f"{contract_id}.yml", terms_sha256=contract_id[0] * 64, terms_yaml="",
            cohort_start_from=start_from, cohort_start_to=start_to,
            max_participants=max_participants, follow_up_years=years,
            employment_hours_per_month=Decimal(hours_per_month) if hours_per_month else None,
            full_weeks=full_weeks, partial_weeks=partial_weeks, price_year=price_year,
            payment_account="5.68.90", has_baseline=has_baseline, valuation_basis=basis,
            verification_lag_months=2,
            outlay_dkk=Decimal(outlay) if outlay else None,
            investor_share=Decimal(investor_share) if investor_share else None,
        )
        self.contracts.append(tuple(values[c] for c in CONTRACT_COLUMNS))
        self.status_groups += [(contract_id, "self_supporting", g) for g in self_supporting]
        self.status_groups += [(contract_id, "partial", g) for g in partial]
        self.weekly_rates += [(contract_id, g, Decimal(r)) for g, r in (rates or {}).items()]
        if factors:
            self.baseline_factors += [(contract_id, k, Decimal(f))
                                      for k, f in enumerate(factors, start=1)]

    def add_streak(self, contract_id: str, position: int, outcome_id: str, weeks: int,
                   within_weeks: int | None, statuses: tuple[str, ...] = ("self_supporting",),
                   price: str = "1000.00") -> None:
        self.rate_card_outcomes.append((contract_id, position, outcome_id, "streak", weeks,
                                        within_weeks, None, Decimal(price)))
        self.outcome_statuses += [(contract_id, outcome_id, s) for s in statuses]

    def add_year_outcome(self, contract_id: str, position: int, outcome_id: str, statuses: tuple[str, ...],
                         years: tuple[int, ...], requires: str | None = None, price: str = "1000.00") -> None:
        self.rate_card_outcomes.append((contract_id, position, outcome_id, "year_status", None, None,
                                        requires, Decimal(price)))
        self.outcome_statuses += [(contract_id, outcome_id, s) for s in statuses]
        self.outcome_years += [(contract_id, outcome_id, k) for k in years]

    def refer(self, contract_id: str, person_key: str, start_date: dt.date | None,
              referral_date: dt.date | None = None) -> None:
        line = len(self.referrals) + 2
        referral = referral_date or (start_date or self.referrals_vintage) - dt.timedelta(days=10)
        self.referrals.append((REFERRALS_LOAD, REFERRALS_SHA, line, contract_id, person_key,
                               referral, start_date))

    def benefit_row(self, person_key: str, codes: dict[dt.date, int] | None = None) -> int:
        """The person's row in the benefit vintage; `codes` maps any day of a week to its code."""
        line = len(self.benefit_persons) + 2
        self.benefit_persons.append((BENEFITS_LOAD, BENEFITS_SHA, line, person_key))
        for day, code in (codes or {}).items():
            self.benefit_weeks.append((BENEFITS_LOAD, BENEFITS_SHA, line, person_key,
                                       monday(day), code))
        return line

    def hours(self, person_key: str, month: dt.date, hours: str, income_type: str = "00") -> None:
        line = len(self.line_months) + 2
        self.line_months.append((INCOME_LOAD, INCOME_SHA, line, person_key, income_type,
                                 month.replace(day=1), Decimal(hours)))

    def uncovered(self, person_key: str, month: dt.date, reason: str = "quarantined_line") -> None:
        self.uncovered_months.append((INCOME_LOAD, person_key, month.replace(day=1), reason))

    def write(self, path: Path) -> None:
        with duckdb.connect(str(path)) as con:
            create_raw_tables(con)
            inserts = {
                "contracts": self.contracts, "contract_status_groups": self.status_groups,
                "contract_weekly_rates": self.weekly_rates,
                "contract_baseline_factors": self.baseline_factors,
                "contract_rate_card_outcomes": self.rate_card_outcomes,
                "contract_outcome_statuses": self.outcome_statuses,
                "contract_outcome_years": self.outcome_years,
                "referrals": self.referrals, "benefit_persons": self.benefit_persons,
                "benefit_weeks": self.benefit_weeks, "income_line_months": self.line_months,
                "income_uncovered_months": self.uncovered_months,
            }
            for table, rows in inserts.items():
                if rows:
                    marks = ", ".join("?" for _ in rows[0])
                    con.executemany(f"INSERT INTO raw.{table} VALUES ({marks})", rows)
            selected = [
                (self.run_month, "referrals", REFERRALS_LOAD,
                 f"referrals_{self.referrals_vintage}.csv", REFERRALS_SHA,
                 self.referrals_vintage, None, None),
                (self.run_month, "benefits", BENEFITS_LOAD, "dream.csv", BENEFITS_SHA,
                 self.benefit_coverage[1], *self.benefit_coverage),
            ]
            if self.income_coverage:
                selected.append((self.run_month, "income", INCOME_LOAD, "eindkomst.csv",
                                 INCOME_SHA, self.income_coverage[1], *self.income_coverage))
            con.executemany("INSERT INTO raw.selected_vintages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            selected)
            # An older vintage of every source that must never be read by this run.
            con.execute("""INSERT INTO raw.selected_vintages VALUES
                ('1999-01', 'referrals', 99, 'old.csv', 'f', DATE '1999-01-01', NULL, NULL)""")
            con.execute(f"""INSERT INTO raw.referrals
                SELECT 99, 'f', line_number, contract_id, person_key, referral_date,
                       DATE '1990-01-01' FROM raw.referrals WHERE load_id = {REFERRALS_LOAD}""")
            con.execute(f"""INSERT INTO raw.benefit_weeks
                SELECT 99, 'f', line_number, person_key, week_start, 999999
                FROM raw.benefit_weeks WHERE load_id = {BENEFITS_LOAD}""")

"""Writing validated terms into the `raw.contract*` tables (docs/architecture.md).

The tables are dropped and re-created on every call, inside one transaction, so they always hold
exactly the contracts of the last load. Decimals go in as `Decimal` parameters into DECIMAL
columns: exact, never through a float.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import duckdb

from contracts.terms.models import (
    CohortTarget,
    ContractTerms,
    RateCard,
    SavingsShare,
    StreakOutcome,
    YearStatusOutcome,
)

# table → column definitions, in the order of docs/architecture.md
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "contracts": (
        ("contract_id", "VARCHAR"), ("name", "VARCHAR"), ("payer", "VARCHAR"),
        ("investor", "VARCHAR"), ("provider", "VARCHAR"), ("mechanism", "VARCHAR"),
        ("terms_file", "VARCHAR"), ("terms_sha256", "VARCHAR"), ("terms_yaml", "VARCHAR"),
        ("cohort_start_from", "DATE"), ("cohort_start_to", "DATE"),
        ("max_participants", "INTEGER"), ("follow_up_years", "INTEGER"),
        ("employment_hours_per_month", "DECIMAL(20,10)"), ("full_weeks", "INTEGER"),
        ("partial_weeks", "INTEGER"), ("price_year", "INTEGER"), ("payment_account", "VARCHAR"),
        ("has_baseline", "BOOLEAN"), ("outlay_dkk", "DECIMAL(18,2)"),
        ("investor_share", "DECIMAL(20,10)"), ("cap_dkk", "DECIMAL(18,2)"),
        ("cap_per_participant_dkk", "DECIMAL(18,2)"), ("cap_total_dkk", "DECIMAL(18,2)"),
        ("target_year", "INTEGER"), ("target_share", "DECIMAL(20,10)"),
        ("target_amount_dkk", "DECIMAL(18,2)"), ("below_target", "VARCHAR"),
        ("valuation_basis", "VARCHAR"), ("verification_lag_months", "INTEGER"),
    ),
    "contract_status_groups": (
        ("contract_id", "VARCHAR"), ("week_status", "VARCHAR"), ("benefit_group", "VARCHAR"),
    ),
    "contract_weekly_rates": (
        ("contract_id", "VARCHAR"), ("benefit_group", "VARCHAR"),
        ("weekly_rate_dkk", "DECIMAL(18,2)"),
    ),
    "contract_baseline_factors": (
        ("contract_id", "VARCHAR"), ("follow_up_year", "INTEGER"), ("factor", "DECIMAL(20,10)"),
    ),
    "contract_year_statuses": (
        ("contract_id", "VARCHAR"), ("purpose", "VARCHAR"), ("outcome_status", "VARCHAR"),
    ),
    "contract_rate_card_outcomes": (
        ("contract_id", "VARCHAR"), ("position", "INTEGER"), ("outcome_id", "VARCHAR"),
        ("kind", "VARCHAR"), ("weeks", "INTEGER"), ("within_weeks", "INTEGER"),
        ("requires", "VARCHAR"), ("price_dkk", "DECIMAL(18,2)"),
    ),
    "contract_outcome_statuses": (
        ("contract_id", "VARCHAR"), ("outcome_id", "VARCHAR"), ("status", "VARCHAR"),
    ),
    "contract_outcome_years": (
        ("contract_id", "VARCHAR"), ("outcome_id", "VARCHAR"), ("follow_up_year", "INTEGER"),
    ),
    "contract_forecast": (
        ("contract_id", "VARCHAR"), ("participants", "INTEGER"), ("savings_group", "VARCHAR"),
        ("success_share", "DECIMAL(20,10)"),
    ),
    "contract_forecast_savings": (
        ("contract_id", "VARCHAR"), ("follow_up_year", "INTEGER"),
        ("savings_per_participant_dkk", "DECIMAL(18,2)"),
    ),
}


def _field(payment: object, kind: type, name: str) -> object:
    """A mechanism's field, or None for contracts of another mechanism."""
    return getattr(payment, name) if isinstance(payment, kind) else None


def _contract_row(t: ContractTerms) -> tuple:
    p = t.payment
    return (
        t.id, t.name, t.parties.payer, t.parties.investor, t.parties.provider, t.mechanism,
        t.path.name, t.terms_sha256, t.terms_yaml,
        t.cohort.start_from, t.cohort.start_to, t.cohort.max_participants, t.follow_up.years,
        t.outcome.employment_hours_per_month, t.outcome.full_weeks, t.outcome.partial_weeks,
        t.valuation.price_year, t.budget.payment_account, t.has_baseline,
        _field(p, SavingsShare, "outlay"), _field(p, SavingsShare, "investor_share"),
        _field(p, SavingsShare, "cap"),
        _field(p, RateCard, "cap_per_participant"), _field(p, RateCard, "cap_total"),
        _field(p, CohortTarget, "year"), _field(p, CohortTarget, "target_share"),
        _field(p, CohortTarget, "amount"), _field(p, CohortTarget, "below_target"),
        t.valuation.basis, t.forecast.verification_lag_months,
    )


def terms_rows(contracts: Sequence[ContractTerms]) -> dict[str, list[tuple]]:
    """The rows of every `raw.contract*` table, keyed by table name."""
    rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
    for t in contracts:
        rows["contracts"].append(_contract_row(t))
        for group in t.outcome.self_supporting_groups:
            rows["contract_status_groups"].append((t.id, "self_supporting", group))
        for group in t.outcome.partial_groups:
            rows["contract_status_groups"].append((t.id, "partial", group))
        for group, rate in t.weekly_rates.items():
            rows["contract_weekly_rates"].append((t.id, group, rate))
        p = t.payment
        if isinstance(p, SavingsShare):
            for year, factor in enumerate(p.baseline.factors, start=1):
                rows["contract_baseline_factors"].append((t.id, year, factor))
            for status in p.count_savings_when or ():
                rows["contract_year_statuses"].append((t.id, "count_savings_when", status))
        elif isinstance(p, CohortTarget):
            for status in p.statuses:
                rows["contract_year_statuses"].append((t.id, "target_statuses", status))
        elif isinstance(p, RateCard):
            for position, o in enumerate(p.outcomes, start=1):
                weeks = (o.weeks, o.within_weeks) if isinstance(o, StreakOutcome) else (None, None)
                rows["contract_rate_card_outcomes"].append(
                    (t.id, position, o.id, o.kind, *weeks, o.requires, o.price))
                for status in o.statuses:
                    rows["contract_outcome_statuses"].append((t.id, o.id, status))
                for year in o.years if isinstance(o, YearStatusOutcome) else ():
                    rows["contract_outcome_years"].append((t.id, o.id, year))
        f = t.forecast
        if f.has_business_case:
            rows["contract_forecast"].append((t.id, f.participants, f.savings_group, f.success_share))
        for year, savings in enumerate(f.savings_per_participant_year or (), start=1):
            rows["contract_forecast_savings"].append((t.id, year, savings))
    return rows


def _check_scale(table: str, columns: tuple[tuple[str, str], ...], rows: list[tuple]) -> None:
    """Refuse a Decimal that its DECIMAL column would round (validation should prevent it)."""
    for name_type, values in zip(columns, zip(*rows)):
        name, sql_type = name_type
        if not sql_type.startswith("DECIMAL"):
            continue
        scale = int(sql_type.rstrip(")").split(",")[1])
        for value in values:
            if value is not None:
                if not isinstance(value, Decimal):
                    raise TypeError(f"raw.{table}.{name}: {value!r} is not a Decimal")
                if value != value.quantize(Decimal(1).scaleb(-scale)):
                    raise ValueError(f"raw.{table}.{name}: {value} has more than {scale} decimals")


def create_terms_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the `raw.contract*` tables, empty (the one definition of their columns)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in TABLES.items():
        column_sql = ", ".join(f"{name} {sql_type}" for name, sql_type in columns)
        con.execute(f"CREATE OR REPLACE TABLE raw.{table} ({column_sql})")


def write_terms_tables(con: duckdb.DuckDBPyConnection, contracts: list[ContractTerms]) -> None:
    """(Re)create the `raw.contract*` tables and fill them with these contracts' terms."""
    rows = terms_rows(contracts)
    for table, columns in TABLES.items():
        _check_scale(table, columns, rows[table])
    con.execute("BEGIN TRANSACTION")
    try:
        create_terms_tables(con)
        for table, columns in TABLES.items():
            if rows[table]:
                placeholders = ", ".join("?" for _ in columns)
                con.executemany(f"INSERT INTO raw.{table} VALUES ({placeholders})", rows[table])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise

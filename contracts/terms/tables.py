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
from warehouse_schema import replace_schema

#: The `raw.contract*` tables, declared in `warehouse_schema/terms.sql`; each row below is in the
#: column order of its table there.
TABLES: tuple[str, ...] = (
    "contracts", "contract_status_groups", "contract_weekly_rates", "contract_baseline_factors",
    "contract_year_statuses", "contract_rate_card_outcomes", "contract_outcome_statuses",
    "contract_outcome_years", "contract_forecast", "contract_forecast_savings",
)


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


def _check_scale(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Refuse a Decimal that its DECIMAL column would round (validation should prevent it)."""
    columns = con.execute(
        "SELECT column_name, data_type, numeric_scale FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = 'raw' AND table_name = $t "
        "ORDER BY ordinal_position", {"t": table}).fetchall()
    for (name, sql_type, scale), values in zip(columns, zip(*rows)):
        if not sql_type.startswith("DECIMAL"):
            continue
        for value in values:
            if value is not None:
                if not isinstance(value, Decimal):
                    raise TypeError(f"raw.{table}.{name}: {value!r} is not a Decimal")
                if value != value.quantize(Decimal(1).scaleb(-scale)):
                    raise ValueError(f"raw.{table}.{name}: {value} has more than {scale} decimals")


def create_terms_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the `raw.contract*` tables, empty (`warehouse_schema/terms.sql`)."""
    replace_schema(con, "terms")


def write_terms_tables(con: duckdb.DuckDBPyConnection, contracts: list[ContractTerms]) -> None:
    """(Re)create the `raw.contract*` tables and fill them with these contracts' terms, in one
    transaction: on any error the tables stay as they were."""
    rows = terms_rows(contracts)
    con.execute("BEGIN TRANSACTION")
    try:
        create_terms_tables(con)
        for table in TABLES:
            if rows[table]:
                _check_scale(con, table, rows[table])
                placeholders = ", ".join("?" for _ in rows[table][0])
                con.executemany(f"INSERT INTO raw.{table} VALUES ({placeholders})", rows[table])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise

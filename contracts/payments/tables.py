"""The tables the payment engine reads: only marts (dbt's public tables, with enforced contracts).

The `payments` schema it writes is declared with the warehouse's other own tables in
`warehouse_schema/payments.sql`.
"""

from __future__ import annotations

import duckdb

from contracts.payments.queries import sql

# The tables the engine reads. A missing one is an orchestration error named before any work.
INPUT_TABLES = (
    "marts.dim_contracts",
    "marts.dim_payment_terms",
    "marts.dim_rate_card_outcomes",
    "marts.dim_selected_vintages",
    "marts.dim_benefit_groups",
    "marts.dim_participants",
    "marts.fct_outcome_years",
    "marts.fct_outcome_year_savings",
    "marts.fct_participant_weeks",
    "marts.fct_rate_card_achievements",
    "marts.fct_streak_outcomes",
    "marts.dim_contract_forecasts",
    "marts.dim_contract_forecast_savings",
    "marts.dim_rate_card_outcome_years",
)


def missing_tables(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = INPUT_TABLES) -> list[str]:
    present = {r[0] for r in con.execute(sql("present_relations")).fetchall()}
    return [n for n in names if n not in present]

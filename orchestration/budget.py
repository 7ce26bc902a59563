"""`outcome-ledger budget`: a contract's budget forecast as the finance officer reads it.

Reads `payments.budget_forecast` (finance.md, "Budget forecast") — or, after a preview, the
`preview` schema's copy — and never writes: budget years across, accounts and kinds down, an
`actual` and an `expected` row each, and what the expected amounts rest on. Tables are drawn by
`orchestration.summary`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.errors import LedgerError
from orchestration.summary import budget_table


class BudgetRefused(LedgerError):
    """No forecast to show: no warehouse, no forecast table, or none for that contract or month."""


def forecast_months(con: duckdb.DuckDBPyConnection, *, contract: str | None, month: str | None,
                    schema: str = "payments") -> list[tuple[str, str]]:
    """(contract_id, forecast_month) to show: that month's, or each contract's latest."""
    rows = con.execute(
        f"""SELECT contract_id, max(forecast_month) FROM {schema}.budget_forecast
            WHERE ($c IS NULL OR contract_id = $c) AND ($m IS NULL OR forecast_month = $m)
            GROUP BY contract_id ORDER BY contract_id""", {"c": contract, "m": month}).fetchall()
    return [(c, m) for c, m in rows]


def budget_report(con: duckdb.DuckDBPyConnection, *, contract: str | None = None, month: str | None = None,
                  schema: str = "payments") -> str:
    """Every chosen contract's forecast table, one after the other."""
    chosen = forecast_months(con, contract=contract, month=month, schema=schema)
    if not chosen:
        what = " and ".join(part for part in (f"contract {contract}" if contract else "",
                                               f"month {month}" if month else "") if part)
        raise BudgetRefused(f"no budget forecast{' for ' + what if what else ''} in the warehouse: a forecast "
                            f"is written by every issuing run (outcome-ledger run --month YYYY-MM)")
    return "\n\n".join(budget_table(con, c, m, schema=schema) for c, m in chosen)


def print_budget(warehouse: Path, *, contract: str | None, month: str | None) -> None:
    if not warehouse.exists():
        raise BudgetRefused(f"no warehouse at {warehouse}")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except (duckdb.IOException, duckdb.ConnectionException) as error:
        raise BudgetRefused(f"cannot open {warehouse} (a run may be writing it; the analysts' read-only copy "
                            f"holds the same tables): {error}") from error
    with con:
        present = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                              "AND schema_name = 'payments' AND table_name = 'budget_forecast'").fetchall()[0][0]
        if not present:
            raise BudgetRefused(f"no budget forecast in {warehouse}: a forecast is written by every issuing run")
        print(budget_report(con, contract=contract, month=month))

"""Budget entries, the payer's view (`contracts.md`, "Budget entries").

Input temp tables: `pay_contracts`, `pay_statement_totals`, `pay_savings_years` (the
participant-years that make up S). Output temp tables:
- `pay_verified_savings`: per savings_share statement and benefit group, the verified savings
  (Σ savings[p, k, g] over exactly the participant-years of S) and the change since the contract's
  previous statement (whose figures are read back from `payments.statement_savings`);
- `pay_budget_entries`: `payment` (amount payable on terms.budget.payment_account) and `savings`
  (−change, on the group's account), never for a zero amount;
- `pay_budget_unbooked`: the non-zero amounts that get no entry, with the reason (for the report).
The accounts are those of `marts.dim_benefit_groups` (the run's reference data).
"""

from __future__ import annotations

import duckdb

from contracts.payments.queries import sql


def compute_budget(con: duckdb.DuckDBPyConnection, month: str) -> None:
    budget_year = int(month[:4])
    con.execute(sql("verified_savings"))
    con.execute(sql("budget_entries"), {"budget_year": budget_year})
    con.execute(sql("budget_unbooked"))

"""Budget entries, the payer's view (`finance.md`, "Budget entries").

Input temp tables: `pay_contracts`, `pay_statement_totals`, `pay_savings_years` (the
participant-years that make up S). Output temp tables:
- `pay_verified_savings`: per savings_share statement and benefit group, the verified savings
  (Σ savings[p, k, g] over exactly the participant-years of S) in the contract's basis, gross and
  municipal, and their change since the contract's previous statement (whose figures are read
  back from `payments.statement_savings`);
- `pay_savings_amounts`: per statement and group, `savings` (−ΔG for refusion-financed groups, −ΔN
  for co-financed ones) and `refusion` (ΔG − ΔN, refusion-financed groups only), so that
  savings + refusion = −ΔN on every account (`finance.md`, "Budget entries");
- `pay_budget_entries`: `payment` (amount payable on terms.budget.payment_account), `savings` and
  `refusion` (on the group's account), never for a zero amount;
- `pay_budget_unbooked`: the non-zero amounts that get no entry, with the reason (for the report).
The accounts are those of `marts.dim_benefit_groups` (the run's reference data).
"""

from __future__ import annotations

import duckdb

from contracts.payments.queries import sql


def compute_budget(con: duckdb.DuckDBPyConnection, month: str) -> None:
    budget_year = int(month[:4])
    con.execute(sql("verified_savings"))
    con.execute(sql("savings_entry_amounts"))
    con.execute(sql("budget_entries"), {"budget_year": budget_year})
    con.execute(sql("budget_unbooked"))

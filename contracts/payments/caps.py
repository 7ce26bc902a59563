"""The caps of `contracts.md`, as window functions over whole item sets (no row loops).

A cap cuts items in a fixed order: each item is paid `least(price, greatest(cap - paid_before, 0))`
where `paid_before` is the running sum of the amounts before it in that order — the item that
crosses the cap is cut to the remainder, later items to 0. A cut item keeps its price and shows the
reduction (`price - amount`). The orders are in `sql/rate_card_caps.sql` and `sql/savings_cap.sql`.
"""

from __future__ import annotations

import duckdb

from contracts.payments.queries import sql


def apply_rate_card_caps(con: duckdb.DuckDBPyConnection) -> None:
    """`pay_rate_items` → `pay_rate_card_items`: per participant, then the contract's total."""
    con.execute(sql("rate_card_caps"))


def apply_savings_cap(con: duckdb.DuckDBPyConnection) -> None:
    """`pay_savings_totals` → `pay_savings_items`: gain_share cut first, then outlay_repayment."""
    con.execute(sql("savings_cap"))

"""The per-contract table `outcome-ledger run` ends with."""

from __future__ import annotations

import duckdb

from decimal import Decimal
from orchestration.summary import table


def _kroner(value: Decimal) -> str:
    """DKK with thousands separators for reading (the statement hash uses its own format)."""
    return f"{(value if value != 0 else Decimal('0.00')):,.2f}"


def statement_summary(con: duckdb.DuckDBPyConnection, month: str) -> str:
    rows = con.execute(
        """
        WITH participants AS (
            SELECT contract_id, count(*) FILTER (WHERE excluded_reason IS NULL) AS participants
            FROM marts.dim_participants GROUP BY contract_id),
        years AS (
            SELECT contract_id,
                   count(*) FILTER (WHERE is_complete) AS verified,
                   count(*) FILTER (WHERE NOT is_complete) AS pending
            FROM marts.fct_outcome_years GROUP BY contract_id),
        lines AS (
            SELECT statement_id, count(*) AS line_count, sum(amount_dkk) AS lines_total
            FROM payments.statement_lines GROUP BY statement_id)
        SELECT s.contract_id, coalesce(p.participants, 0), coalesce(y.verified, 0), coalesce(y.pending, 0),
               s.entitlement_to_date_dkk, coalesce(l.line_count, 0), s.lines_total_dkk,
               s.offset_brought_forward_dkk, s.amount_payable_dkk, s.offset_carried_forward_dkk
        FROM payments.statements s
        LEFT JOIN participants p USING (contract_id)
        LEFT JOIN years y USING (contract_id)
        LEFT JOIN lines l USING (statement_id)
        WHERE s.month = $m ORDER BY s.contract_id
        """, {"m": month}).fetchall()
    if not rows:
        return f"No statements for {month}."
    money = {4, 6, 7, 8, 9}
    shown = [tuple(_kroner(v) if i in money else v for i, v in enumerate(r)) for r in rows]
    return f"Statements {month}:\n" + table(
        ["contract", "participants", "years verified", "years pending", "entitlement to date",
         "lines", "lines total", "offset in", "payable", "offset out"],
        shown, right={1, 2, 3, 4, 5, 6, 7, 8, 9})

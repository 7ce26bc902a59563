"""Statement lines (deltas), totals and offsets, and the statement hash (`contracts.md`, "Monthly statements").

Input temp tables: `pay_contracts` (with `previous_statement_id` and `change_cause`), `pay_items`.
Output temp tables: `pay_lines`, `pay_statement_totals` (`sql/posted.sql`, `previous_items.sql`,
`lines.sql`, `totals.sql`).

A line is `new amount − Σ amounts already posted for the key` in the contract's statements of
earlier months, when non-zero. Lines are numbered from 1 in item_key order by Unicode code point:
the SQL orders on `encode(item_key)` (UTF-8 bytes, compared bytewise — the same order as code
points, whatever collation a session sets), the hash is built in that `line_no` order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

import duckdb

from contracts.payments.money import format_amount
from contracts.payments.queries import sql


def compute_lines(con: duckdb.DuckDBPyConnection, month: str) -> None:
    """Fill `pay_lines` and `pay_statement_totals` for every contract of `pay_contracts`."""
    con.execute(sql("posted"), {"month": month})
    con.execute(sql("previous_items"))
    con.execute(sql("lines"))
    con.execute(sql("totals"))


LineForHash = tuple[str, str, Decimal, Decimal, Decimal]  # item_key, kind, previous, new, amount


def statement_text(
    lines: Iterable[LineForHash],
    *,
    total: Decimal,
    offset_brought_forward: Decimal,
    amount_payable: Decimal,
    offset_carried_forward: Decimal,
) -> str:
    """The hashed text: one `item_key;kind;previous;new;amount` line per statement line in
    line_no order, then `total;offset_brought_forward;amount_payable;offset_carried_forward`;
    every line ends in LF, the last too."""
    out = [
        f"{key};{kind};{format_amount(prev)};{format_amount(new)};{format_amount(amount)}\n"
        for key, kind, prev, new, amount in lines
    ]
    out.append(
        ";".join(
            format_amount(v) for v in (total, offset_brought_forward, amount_payable, offset_carried_forward)
        )
        + "\n"
    )
    return "".join(out)


def statement_sha256(lines: Iterable[LineForHash], **totals: Decimal) -> str:
    """SHA-256 of `statement_text(lines, **totals)` (the same keyword totals), hex."""
    return hashlib.sha256(statement_text(lines, **totals).encode("utf-8")).hexdigest()


def computed_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """statement_id → statement_sha256 for every statement in `pay_statement_totals`."""
    lines: dict[str, list[LineForHash]] = {}
    for sid, key, kind, prev, new, amount in con.execute(sql("hash_lines")).fetchall():
        lines.setdefault(sid, []).append((key, kind, prev, new, amount))
    hashes = {}
    for sid, total, obf, payable, ocf in con.execute(sql("hash_totals")).fetchall():
        hashes[sid] = statement_sha256(
            lines.get(sid, []),
            total=total,
            offset_brought_forward=obf,
            amount_payable=payable,
            offset_carried_forward=ocf,
        )
    return hashes

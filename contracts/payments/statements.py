"""Statement lines (deltas), totals and offsets, and the statement hash (`contracts.md`, "Monthly statements").

Input temp tables: `pay_contracts` (with `previous_statement_id` and `change_cause`), `pay_items`.
Output temp tables: `pay_lines`, `pay_statement_totals`.

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

POSTED_SQL = """
CREATE OR REPLACE TEMP TABLE pay_posted AS
SELECT s.contract_id, l.item_key,
       CAST(sum(l.amount_dkk) AS DECIMAL(18,2)) AS posted_dkk,
       min(l.person_key) AS person_key, min(l.outcome_id) AS outcome_id,
       min(l.follow_up_year) AS follow_up_year
FROM payments.statement_lines l
JOIN payments.statements s USING (statement_id)
JOIN pay_contracts c ON c.contract_id = s.contract_id
WHERE s.month < $month
GROUP BY s.contract_id, l.item_key
"""

PREVIOUS_ITEMS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_previous_items AS
SELECT c.contract_id, e.item_key, e.price_dkk, e.reduction_dkk, e.amount_dkk, e.evidence_status,
       e.achievement_week, e.basis
FROM pay_contracts c JOIN payments.entitlement_items e ON e.statement_id = c.previous_statement_id
"""

_D = "CAST({} AS VARCHAR)"

# The explanation of a line: for a new item what it rests on; for an adjustment what changed in
# the item (status, basis, price, cap reduction), or why it vanished; then, after '; ', which
# recorded inputs changed since the contract's previous statement.
EXPLANATION_SQL = f"""
CASE
  WHEN NOT was_posted THEN
    basis || CASE WHEN reduction_dkk > 0
                  THEN ' (price ' || {_D.format("price_dkk")} || ', cut by '
                       || {_D.format("reduction_dkk")} || ' under a cap)'
                  ELSE '' END
  WHEN NOT in_entitlement THEN
    CASE
      WHEN person_key IS NOT NULL AND NOT on_referral_list THEN 'person no longer on the referral list'
      WHEN person_key IS NOT NULL AND excluded_reason IS NOT NULL
        THEN 'participant now excluded (' || excluded_reason || ')'
      WHEN person_key IS NOT NULL AND NOT outcome_in_terms
        THEN 'outcome ' || outcome_id || ' no longer in the terms'
      WHEN follow_up_year > 0 AND prev_status IS DISTINCT FROM current_year_status
        THEN 'year ' || follow_up_year || ' status ' || coalesce(prev_status, '?') || ' → '
             || coalesce(current_year_status, 'no longer reported')
      WHEN follow_up_year = 0 AND (current_streak_status IS DISTINCT FROM 'verified'
                                   OR current_streak_week IS DISTINCT FROM prev_week)
        THEN coalesce(prev_basis, 'verified streak') || ' → '
             || coalesce('streak ' || current_streak_status, 'no longer reported')
             || coalesce(' in follow-up week ' || current_streak_week, '')
      WHEN person_key IS NOT NULL AND outcome_requires IS NOT NULL
        THEN 'required outcome ' || outcome_requires || ' no longer achieved by follow-up week '
             || coalesce(CAST(prev_week AS VARCHAR), '?')
      ELSE outcome_id || ' no longer in the entitlement'
    END || ': reversed to 0'
  WHEN prev_basis IS NULL THEN 'verified again: ' || basis
  WHEN follow_up_year > 0 AND prev_status IS DISTINCT FROM evidence_status
    THEN 'year ' || follow_up_year || ' status ' || prev_status || ' → ' || evidence_status
  WHEN prev_basis <> basis THEN prev_basis || ' → ' || basis
  WHEN prev_price <> price_dkk
    THEN 'price ' || {_D.format("prev_price")} || ' → ' || {_D.format("price_dkk")}
  WHEN prev_reduction <> reduction_dkk
    THEN 'cap reduction ' || {_D.format("prev_reduction")} || ' → ' || {_D.format("reduction_dkk")}
  ELSE 'entitlement changed from ' || {_D.format("previous_amount_dkk")} || ' to '
       || {_D.format("new_amount_dkk")}
END || CASE WHEN was_posted THEN coalesce('; ' || change_cause, '') ELSE '' END
"""

LINES_SQL = f"""
CREATE OR REPLACE TEMP TABLE pay_lines AS
WITH keyed AS (
    SELECT coalesce(i.contract_id, p.contract_id) AS contract_id,
           coalesce(i.item_key, p.item_key) AS item_key,
           CASE WHEN i.item_key IS NOT NULL THEN i.person_key ELSE p.person_key END AS person_key,
           CASE WHEN i.item_key IS NOT NULL THEN i.outcome_id ELSE p.outcome_id END AS outcome_id,
           CASE WHEN i.item_key IS NOT NULL THEN i.follow_up_year ELSE p.follow_up_year END AS follow_up_year,
           p.item_key IS NOT NULL AS was_posted,
           i.item_key IS NOT NULL AS in_entitlement,
           CAST(coalesce(p.posted_dkk, 0) AS DECIMAL(18,2)) AS previous_amount_dkk,
           CAST(coalesce(i.amount_dkk, 0) AS DECIMAL(18,2)) AS new_amount_dkk,
           i.price_dkk, i.reduction_dkk, i.evidence_status, i.basis
    FROM pay_items i
    FULL OUTER JOIN pay_posted p ON p.contract_id = i.contract_id AND p.item_key = i.item_key
), delta AS (
    SELECT *, CAST(new_amount_dkk - previous_amount_dkk AS DECIMAL(18,2)) AS amount_dkk
    FROM keyed WHERE new_amount_dkk <> previous_amount_dkk
), explained AS (
    SELECT d.*, c.statement_id, c.change_cause,
           prev.price_dkk AS prev_price, prev.reduction_dkk AS prev_reduction,
           prev.evidence_status AS prev_status, prev.basis AS prev_basis,
           prev.achievement_week AS prev_week,
           dp.person_key IS NOT NULL AS on_referral_list, dp.excluded_reason,
           oc.outcome_id IS NOT NULL AS outcome_in_terms, oc.requires AS outcome_requires,
           y.outcome_status AS current_year_status,
           so.streak_status AS current_streak_status,
           CAST(so.achievement_week AS INTEGER) AS current_streak_week
    FROM delta d
    JOIN pay_contracts c USING (contract_id)
    LEFT JOIN pay_previous_items prev
      ON prev.contract_id = d.contract_id AND prev.item_key = d.item_key
    LEFT JOIN marts.dim_participants dp
      ON dp.contract_id = d.contract_id AND dp.person_key = d.person_key
    LEFT JOIN raw.contract_rate_card_outcomes oc
      ON oc.contract_id = d.contract_id AND oc.outcome_id = d.outcome_id
     AND c.mechanism = 'rate_card' AND d.person_key IS NOT NULL
    LEFT JOIN marts.fct_outcome_years y
      ON y.contract_id = d.contract_id AND y.person_key = d.person_key
     AND y.follow_up_year = d.follow_up_year AND d.follow_up_year > 0
    LEFT JOIN marts.fct_streak_outcomes so
      ON so.contract_id = d.contract_id AND so.person_key = d.person_key
     AND so.outcome_id = d.outcome_id AND d.follow_up_year = 0
)
SELECT contract_id, statement_id,
       CAST(row_number() OVER (PARTITION BY contract_id ORDER BY encode(item_key)) AS INTEGER) AS line_no,
       item_key, person_key, outcome_id, CAST(follow_up_year AS INTEGER) AS follow_up_year,
       CASE WHEN was_posted THEN 'adjustment' ELSE 'outcome' END AS kind,
       previous_amount_dkk, new_amount_dkk, amount_dkk,
       {EXPLANATION_SQL} AS explanation
FROM explained
"""

# total = lines_total + offset_brought_forward; payable = max(total, 0); carried = min(total, 0).
TOTALS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_statement_totals AS
WITH ent AS (
    SELECT contract_id, sum(amount_dkk) AS entitlement FROM pay_items GROUP BY contract_id
), lines AS (
    SELECT contract_id, sum(amount_dkk) AS lines_total, count(*) AS line_count
    FROM pay_lines GROUP BY contract_id
), prev AS (
    SELECT c.contract_id, s.offset_carried_forward_dkk
    FROM pay_contracts c JOIN payments.statements s ON s.statement_id = c.previous_statement_id
), base AS (
    SELECT c.contract_id, c.statement_id, c.is_new,
           CAST(coalesce(ent.entitlement, 0) AS DECIMAL(18,2)) AS entitlement_to_date_dkk,
           CAST(coalesce(lines.lines_total, 0) AS DECIMAL(18,2)) AS lines_total_dkk,
           CAST(coalesce(prev.offset_carried_forward_dkk, 0) AS DECIMAL(18,2)) AS offset_brought_forward_dkk,
           CAST(coalesce(lines.line_count, 0) AS INTEGER) AS line_count
    FROM pay_contracts c
    LEFT JOIN ent USING (contract_id)
    LEFT JOIN lines USING (contract_id)
    LEFT JOIN prev USING (contract_id)
)
SELECT *,
       CAST(lines_total_dkk + offset_brought_forward_dkk AS DECIMAL(18,2)) AS total_dkk,
       CAST(greatest(lines_total_dkk + offset_brought_forward_dkk, 0) AS DECIMAL(18,2)) AS amount_payable_dkk,
       CAST(least(lines_total_dkk + offset_brought_forward_dkk, 0) AS DECIMAL(18,2)) AS offset_carried_forward_dkk
FROM base
"""


def compute_lines(con: duckdb.DuckDBPyConnection, month: str) -> None:
    """Fill `pay_lines` and `pay_statement_totals` for every contract of `pay_contracts`."""
    con.execute(POSTED_SQL, {"month": month})
    con.execute(PREVIOUS_ITEMS_SQL)
    con.execute(LINES_SQL)
    con.execute(TOTALS_SQL)


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
    for sid, key, kind, prev, new, amount in con.execute(
        "SELECT statement_id, item_key, kind, previous_amount_dkk, new_amount_dkk, amount_dkk "
        "FROM pay_lines ORDER BY statement_id, line_no"
    ).fetchall():
        lines.setdefault(sid, []).append((key, kind, prev, new, amount))
    hashes = {}
    for sid, total, obf, payable, ocf in con.execute(
        "SELECT statement_id, total_dkk, offset_brought_forward_dkk, amount_payable_dkk, "
        "offset_carried_forward_dkk FROM pay_statement_totals ORDER BY statement_id"
    ).fetchall():
        hashes[sid] = statement_sha256(
            lines.get(sid, []),
            total=total,
            offset_brought_forward=obf,
            amount_payable=payable,
            offset_carried_forward=ocf,
        )
    return hashes

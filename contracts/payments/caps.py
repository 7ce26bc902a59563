"""The caps of `contracts.md`, as window functions over whole item sets (no row loops).

A cap cuts items in a fixed order: each item is paid `least(price, greatest(cap - paid_before, 0))`
where `paid_before` is the running sum of the amounts before it in that order — the item that
crosses the cap is cut to the remainder, later items to 0. A cut item keeps its price and shows the
reduction (`price - amount`).
"""

from __future__ import annotations

import duckdb

# Rate card: `pay_rate_items` (uncapped, after `requires`) → `pay_rate_card_items`.
# 1. per participant, in (achievement week, position in `outcomes`, year) order, at cap_per_participant;
# 2. then all items of the contract, in (achievement date, person_key, position, year) order, at
#    cap_total, applied to the amounts left by step 1.
# person_key is lowercase hex, ordered on its UTF-8 bytes (`encode`) so no collation can interfere.
RATE_CARD_CAPS_SQL = """
CREATE OR REPLACE TEMP TABLE pay_rate_card_items AS
WITH per_participant AS (
    SELECT i.*, c.cap_per_participant_dkk AS cap_pp, c.cap_total_dkk AS cap_t,
           coalesce(sum(i.price_dkk) OVER (
               PARTITION BY i.contract_id, i.person_key
               ORDER BY i.achievement_week, i.position, i.follow_up_year
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_pp
    FROM pay_rate_items i JOIN pay_contracts c USING (contract_id)
), after_pp AS (
    SELECT *,
           CASE WHEN cap_pp IS NULL THEN price_dkk
                ELSE least(price_dkk, greatest(cap_pp - before_pp, 0)) END AS amount_pp
    FROM per_participant
), total AS (
    SELECT *,
           coalesce(sum(amount_pp) OVER (
               PARTITION BY contract_id
               ORDER BY achievement_date, encode(person_key), position, follow_up_year
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_total
    FROM after_pp
), capped AS (
    SELECT *,
           CAST(CASE WHEN cap_t IS NULL THEN amount_pp
                     ELSE least(amount_pp, greatest(cap_t - before_total, 0)) END AS DECIMAL(18,2)) AS amount
    FROM total
)
SELECT contract_id, item_key, person_key, outcome_id, follow_up_year, achievement_week,
       achievement_date, price_dkk,
       CAST(price_dkk - amount AS DECIMAL(18,2)) AS reduction_dkk,
       amount AS amount_dkk, evidence_status, basis
FROM capped
"""

# Savings share: `pay_savings_totals` (one row per contract: outlay_price, gain_price, cap_dkk) →
# the two contract-level items. When a cap is set, the excess over it is taken from gain_share
# first, then from outlay_repayment, so that their sum never exceeds the cap.
SAVINGS_CAP_SQL = """
CREATE OR REPLACE TEMP TABLE pay_savings_items AS
WITH excess AS (
    SELECT *,
           CASE WHEN cap_dkk IS NULL THEN 0
                ELSE greatest(outlay_price + gain_price - cap_dkk, 0) END AS excess
    FROM pay_savings_totals
), items AS (
    SELECT contract_id, 'outlay_repayment' AS item_key, outlay_price AS price_dkk,
           greatest(excess - gain_price, 0) AS reduction, basis
    FROM excess
    UNION ALL
    SELECT contract_id, 'gain_share', gain_price, least(excess, gain_price), basis
    FROM excess
)
SELECT contract_id, item_key, CAST(NULL AS VARCHAR) AS person_key, item_key AS outcome_id,
       CAST(NULL AS INTEGER) AS follow_up_year, CAST(NULL AS INTEGER) AS achievement_week,
       CAST(NULL AS DATE) AS achievement_date,
       CAST(price_dkk AS DECIMAL(18,2)) AS price_dkk,
       CAST(reduction AS DECIMAL(18,2)) AS reduction_dkk,
       CAST(price_dkk - reduction AS DECIMAL(18,2)) AS amount_dkk,
       CAST(NULL AS VARCHAR) AS evidence_status, basis
FROM items
"""


def apply_rate_card_caps(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RATE_CARD_CAPS_SQL)


def apply_savings_cap(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SAVINGS_CAP_SQL)

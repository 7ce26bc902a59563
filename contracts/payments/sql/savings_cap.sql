-- Savings share: `pay_savings_totals` (one row per contract: outlay_price, gain_price, cap_dkk) →
-- the two contract-level items. When a cap is set, the excess over it is taken from gain_share
-- first, then from outlay_repayment, so that their sum never exceeds the cap.
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

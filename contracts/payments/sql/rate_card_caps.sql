-- Rate card: `pay_rate_items` (uncapped, after `requires`) → `pay_rate_card_items`.
-- 1. per participant, in (achievement week, position in `outcomes`, year) order, at cap_per_participant;
-- 2. then all items of the contract, in (achievement date, person_key, position, year) order, at
--    cap_total, applied to the amounts left by step 1.
-- Each item is paid least(price, greatest(cap - paid_before, 0)), paid_before being the running
-- sum of the amounts before it in that order: the item that crosses the cap is cut to the
-- remainder, later items to 0; a cut item keeps its price and shows the reduction.
-- person_key is lowercase hex, ordered on its UTF-8 bytes (`encode`) so no collation can interfere.
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

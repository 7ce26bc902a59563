-- The expected budget amounts per contract, verification month, account and kind, with what
-- they rest on (rank: 1 observed, 2 business case). Payments: the expected change in the
-- entitlement month by month (savings_share, rate_card, cohort_target steps), less an offset
-- carried forward, as statements pay it: the amount payable to date can only grow, so the
-- payments up to a month are greatest(0, the largest value of
-- (entitlement then − entitlement now + offset now) up to that month).
CREATE OR REPLACE TEMP TABLE fc_entries AS
WITH steps AS (
    SELECT contract_id, verify_month, entitlement_dkk, rank FROM fc_savings_steps
    UNION ALL SELECT contract_id, verify_month, entitlement_dkk, rank FROM fc_rate_steps
    UNION ALL SELECT contract_id, verify_month, entitlement_dkk, rank FROM fc_cohort_steps
), reach AS (
    SELECT s.contract_id, s.verify_month, s.rank, c.payment_account,
           greatest(max(s.entitlement_dkk - c.entitlement_now + c.offset_now) OVER w, 0) AS paid_by
    FROM steps s JOIN fc_contracts c USING (contract_id)
    WINDOW w AS (PARTITION BY s.contract_id ORDER BY s.verify_month)
), payments AS (
    SELECT contract_id, verify_month, payment_account AS account, 'payment' AS kind, rank,
           paid_by - coalesce(lag(paid_by) OVER (PARTITION BY contract_id ORDER BY verify_month), 0) AS amount
    FROM reach
)
SELECT contract_id, verify_month, account, kind, CAST(amount AS DECIMAL(18,2)) AS amount_dkk, rank
FROM payments WHERE account IS NOT NULL AND amount <> 0
UNION ALL
SELECT contract_id, verify_month, account, kind, amount_dkk,
       CASE basis WHEN 'business_case' THEN 2 ELSE 1 END
FROM fc_savings_entries WHERE amount_dkk <> 0

-- The entitlement to date: every item of every contract of the run (zero amounts included).
CREATE OR REPLACE TEMP TABLE pay_items AS
SELECT contract_id, item_key, person_key, outcome_id, follow_up_year, achievement_week,
       achievement_date, price_dkk, reduction_dkk, amount_dkk, evidence_status, basis
FROM pay_savings_items
UNION ALL
SELECT contract_id, item_key, person_key, outcome_id, follow_up_year, achievement_week,
       achievement_date, price_dkk, reduction_dkk, amount_dkk, evidence_status, basis
FROM pay_rate_card_items
UNION ALL
SELECT contract_id, item_key, person_key, outcome_id, follow_up_year, achievement_week,
       achievement_date, price_dkk, reduction_dkk, amount_dkk, evidence_status, basis
FROM pay_cohort_items

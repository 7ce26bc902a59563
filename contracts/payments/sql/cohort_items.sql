CREATE OR REPLACE TEMP TABLE pay_cohort_items AS
SELECT contract_id, 'target_payment' AS item_key, CAST(NULL AS VARCHAR) AS person_key,
       'target_payment' AS outcome_id, CAST(NULL AS INTEGER) AS follow_up_year,
       CAST(NULL AS INTEGER) AS achievement_week, CAST(NULL AS DATE) AS achievement_date,
       price_dkk, CAST(0 AS DECIMAL(18,2)) AS reduction_dkk, price_dkk AS amount_dkk,
       CAST(NULL AS VARCHAR) AS evidence_status, basis
FROM pay_cohort_prices

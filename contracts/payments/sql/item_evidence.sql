-- The outcome rows each item rests on (for the trace): a savings item's participant-years, a
-- rate-card item's achievement and the requirement that admitted it, a target payment's
-- participants' target years.
CREATE OR REPLACE TEMP TABLE pay_item_evidence AS
SELECT i.contract_id, i.item_key, 'savings_year' AS role, v.person_key,
       CAST(NULL AS VARCHAR) AS outcome_id, v.follow_up_year, CAST(NULL AS INTEGER) AS achievement_week,
       v.outcome_status, v.savings_dkk, TRUE AS counted
FROM pay_savings_items i JOIN pay_savings_years v USING (contract_id)
UNION ALL
SELECT contract_id, item_key, role, person_key, outcome_id, follow_up_year, achievement_week,
       evidence_status AS outcome_status, CAST(NULL AS DECIMAL(18,2)) AS savings_dkk, TRUE AS counted
FROM pay_rate_items
UNION ALL
SELECT contract_id, item_key, 'requirement', person_key, requires, required_follow_up_year,
       required_achievement_week, required_outcome_status, CAST(NULL AS DECIMAL(18,2)), TRUE
FROM pay_rate_items
WHERE requirement_met
UNION ALL
SELECT i.contract_id, i.item_key, 'cohort_year' AS role, y.person_key,
       CAST(NULL AS VARCHAR) AS outcome_id, y.follow_up_year, CAST(NULL AS INTEGER) AS achievement_week,
       y.outcome_status, CAST(NULL AS DECIMAL(18,2)) AS savings_dkk, y.success AS counted
FROM pay_cohort_items i JOIN pay_cohort_years y USING (contract_id)

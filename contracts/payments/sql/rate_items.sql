-- `requires`: an item exists only if the required outcome was achieved and verified in the same
-- or an earlier follow-up week (requirement_met, judged in dbt); checked before the caps.
CREATE OR REPLACE TEMP TABLE pay_rate_items AS
SELECT contract_id,
       person_key || '|' || outcome_id || '|' || follow_up_year AS item_key,
       person_key, outcome_id, follow_up_year, achievement_week, achievement_date,
       position, price_dkk, evidence_status, basis, role,
       requires, requirement_met, required_follow_up_year, required_achievement_week,
       required_outcome_status
FROM pay_rate_achieved
WHERE requires IS NULL OR requirement_met

-- rate_card: every verified achievement of a listed outcome (marts.fct_rate_card_achievements:
-- streaks and year statuses, with achievement week and date, and whether `requires` is met),
-- priced by the terms (marts.dim_rate_card_outcomes), before `requires` and the caps.
CREATE OR REPLACE TEMP TABLE pay_rate_achieved AS
SELECT a.contract_id, a.person_key, a.outcome_id, o.outcome_position AS position,
       o.requires_outcome_id AS requires, o.price_dkk, a.follow_up_year,
       a.achievement_week, a.achievement_date,
       a.outcome_status AS evidence_status,
       CASE WHEN a.outcome_kind = 'streak' THEN 'achieved in follow-up week ' || a.achievement_week
            ELSE 'year ' || a.follow_up_year || ' status ' || a.outcome_status END AS basis,
       CASE WHEN a.outcome_kind = 'streak' THEN 'streak' ELSE 'outcome_year' END AS role,
       a.requirement_met, a.required_follow_up_year, a.required_achievement_week,
       a.required_outcome_status
FROM marts.fct_rate_card_achievements a
JOIN marts.dim_rate_card_outcomes o USING (contract_id, outcome_id)
JOIN pay_contracts c USING (contract_id)
JOIN pay_participants p USING (contract_id, person_key)
WHERE c.mechanism = 'rate_card' AND a.achievement_status = 'verified'

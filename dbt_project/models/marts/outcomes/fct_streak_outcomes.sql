select
    cast(contract_id as varchar) as contract_id,
    cast(person_key as varchar) as person_key,
    cast(outcome_id as varchar) as outcome_id,
    cast(achievement_week as integer) as achievement_week,
    cast(achievement_date as date) as achievement_date,
    cast(streak_status as varchar) as streak_status,
    cast(outcome_position as integer) as outcome_position,
    cast(streak_weeks as integer) as streak_weeks,
    cast(within_weeks as integer) as within_weeks
from {{ ref('int_streak_outcomes_evaluated') }}

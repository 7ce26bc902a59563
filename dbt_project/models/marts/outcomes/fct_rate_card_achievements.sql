{#
  The public rate-card achievements: int_rate_card_achievements_evaluated with the public keys.
  The payment engine prices the verified rows whose requirement is met (or have none).
#}
select
    cast(contract_id as varchar) as contract_id,
    cast(person_key as varchar) as person_key,
    cast(outcome_id as varchar) as outcome_id,
    cast(follow_up_year as integer) as follow_up_year,
    cast(outcome_kind as varchar) as outcome_kind,
    cast(outcome_position as integer) as outcome_position,
    cast(achievement_week as integer) as achievement_week,
    cast(achievement_date as date) as achievement_date,
    cast(achievement_status as varchar) as achievement_status,
    cast(outcome_status as varchar) as outcome_status,
    cast(requires_outcome_id as varchar) as requires_outcome_id,
    cast(requirement_met as boolean) as requirement_met,
    cast(required_follow_up_year as integer) as required_follow_up_year,
    cast(required_achievement_week as integer) as required_achievement_week,
    cast(required_outcome_status as varchar) as required_outcome_status
from {{ ref('int_rate_card_achievements_evaluated') }}

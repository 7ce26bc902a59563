{#
  The outcomes of each rate-card contract, in their terms order, with their prices.
#}
select
    cast(contract_id as varchar) as contract_id,
    cast(outcome_id as varchar) as outcome_id,
    cast(outcome_position as integer) as outcome_position,
    cast(outcome_kind as varchar) as outcome_kind,
    cast(streak_weeks as integer) as streak_weeks,
    cast(within_weeks as integer) as within_weeks,
    cast(requires_outcome_id as varchar) as requires_outcome_id,
    cast(price_dkk as {{ money_type() }}) as price_dkk
from {{ ref('stg_contract_terms__rate_card_outcomes') }}

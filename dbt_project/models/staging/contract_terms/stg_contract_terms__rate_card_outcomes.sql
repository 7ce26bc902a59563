select
    cast(contract_id as varchar) as contract_id,
    cast(position as integer) as outcome_position,
    cast(outcome_id as varchar) as outcome_id,
    cast(kind as varchar) as outcome_kind,
    cast(weeks as integer) as streak_weeks,
    cast(within_weeks as integer) as within_weeks,
    cast(requires as varchar) as requires_outcome_id,
    cast(price_dkk as {{ money_type() }}) as price_dkk
from {{ source('contract_terms', 'contract_rate_card_outcomes') }}

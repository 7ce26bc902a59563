select
    cast(contract_id as varchar) as contract_id,
    cast(benefit_group as varchar) as benefit_group,
    cast(weekly_rate_dkk as {{ money_type() }}) as weekly_rate_dkk
from {{ source('contract_terms', 'contract_weekly_rates') }}

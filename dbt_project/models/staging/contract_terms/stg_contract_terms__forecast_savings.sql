select
    cast(contract_id as varchar) as contract_id,
    cast(follow_up_year as integer) as follow_up_year,
    cast(savings_per_participant_dkk as {{ money_type() }}) as savings_per_participant_dkk
from {{ source('contract_terms', 'contract_forecast_savings') }}

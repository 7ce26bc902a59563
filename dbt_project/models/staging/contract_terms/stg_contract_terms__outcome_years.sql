select
    cast(contract_id as varchar) as contract_id,
    cast(outcome_id as varchar) as outcome_id,
    cast(follow_up_year as integer) as follow_up_year
from {{ source('contract_terms', 'contract_outcome_years') }}

select
    cast(contract_id as varchar) as contract_id,
    cast(outcome_id as varchar) as outcome_id,
    cast(status as varchar) as status
from {{ source('contract_terms', 'contract_outcome_statuses') }}

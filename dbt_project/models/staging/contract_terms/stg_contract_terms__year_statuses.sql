select
    cast(contract_id as varchar) as contract_id,
    cast(purpose as varchar) as purpose,
    cast(outcome_status as varchar) as outcome_status
from {{ source('contract_terms', 'contract_year_statuses') }}

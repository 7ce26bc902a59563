select
    cast(contract_id as varchar) as contract_id,
    cast(week_status as varchar) as week_status,
    cast(benefit_group as varchar) as benefit_group
from {{ source('contract_terms', 'contract_status_groups') }}

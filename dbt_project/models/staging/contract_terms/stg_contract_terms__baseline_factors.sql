select
    cast(contract_id as varchar) as contract_id,
    cast(follow_up_year as integer) as follow_up_year,
    cast(factor as decimal(20, 10)) as factor
from {{ source('contract_terms', 'contract_baseline_factors') }}

select
    cast(contract_id as varchar) as contract_id,
    cast(participants as integer) as participants,
    cast(savings_group as varchar) as savings_group,
    cast(success_share as decimal(20, 10)) as success_share
from {{ source('contract_terms', 'contract_forecast') }}

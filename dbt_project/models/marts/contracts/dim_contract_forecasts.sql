{#
  The budget forecast's terms per contract (finance.md, "Budget forecast"): the verification lag
  (every contract) and the business case (null when the terms have none).
#}
select
    cast(c.contract_id as varchar) as contract_id,
    cast(c.verification_lag_months as integer) as verification_lag_months,
    cast(f.participants as integer) as participants,
    cast(f.savings_group as varchar) as savings_group,
    cast(f.success_share as decimal(20, 10)) as success_share
from {{ ref('stg_contract_terms__contracts') }} as c
left join {{ ref('stg_contract_terms__forecasts') }} as f
    on f.contract_id = c.contract_id

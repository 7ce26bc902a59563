{#
  The payment terms of each contract (contracts.md, "Mechanisms"): the parameters the payment
  engine prices outcomes with. Identity, cohort window and follow-up are in dim_contracts; the
  rate-card outcomes in dim_rate_card_outcomes.
#}
select
    cast(contract_id as varchar) as contract_id,
    cast(nullif(trim(payment_account), '') as varchar) as payment_account,
    cast(outlay_dkk as {{ money_type() }}) as outlay_dkk,
    cast(investor_share as decimal(20, 10)) as investor_share,
    cast(cap_dkk as {{ money_type() }}) as cap_dkk,
    cast(cap_per_participant_dkk as {{ money_type() }}) as cap_per_participant_dkk,
    cast(cap_total_dkk as {{ money_type() }}) as cap_total_dkk,
    cast(target_year as integer) as target_year,
    cast(target_share as decimal(20, 10)) as target_share,
    cast(target_amount_dkk as {{ money_type() }}) as target_amount_dkk,
    cast(below_target as varchar) as below_target
from {{ ref('stg_contract_terms__contracts') }}

{#
  savings_share business case: expected savings per participant and follow-up year, DKK, in the
  contract's valuation basis (terms forecast.savings_per_participant_year).
#}
select
    cast(contract_id as varchar) as contract_id,
    cast(follow_up_year as integer) as follow_up_year,
    cast(savings_per_participant_dkk as {{ money_type() }}) as savings_per_participant_dkk
from {{ ref('stg_contract_terms__forecast_savings') }}

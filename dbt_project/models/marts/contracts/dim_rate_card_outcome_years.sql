{#
  The follow-up years of each year_status outcome of a rate card (terms `years`): the slots the
  budget forecast expects achievements in, also before any participant has started.
#}
select
    cast(contract_id as varchar) as contract_id,
    cast(outcome_id as varchar) as outcome_id,
    cast(follow_up_year as integer) as follow_up_year
from {{ ref('stg_contract_terms__outcome_years') }}

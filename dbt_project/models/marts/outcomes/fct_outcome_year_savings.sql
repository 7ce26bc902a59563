select
    cast(contract_id as varchar) as contract_id,
    cast(person_key as varchar) as person_key,
    cast(follow_up_year as integer) as follow_up_year,
    cast(benefit_group as varchar) as benefit_group,
    cast(actual_cost_dkk as {{ money_type() }}) as actual_cost_dkk,
    cast(baseline_cost_dkk as {{ money_type() }}) as baseline_cost_dkk,
    cast(savings_dkk as {{ money_type() }}) as savings_dkk,
    cast(gross_savings_dkk as {{ money_type() }}) as gross_savings_dkk,
    cast(municipal_savings_dkk as {{ money_type() }}) as municipal_savings_dkk
from {{ ref('int_outcome_year_groups_valued') }}

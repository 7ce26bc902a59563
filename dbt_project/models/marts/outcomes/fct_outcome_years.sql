{#
  The public outcome-years: the counted years with their amounts summed over the benefit groups
  of int_outcome_year_groups_valued (exact sums of DECIMAL(18,2); the null rules are applied
  there, per group: a pending year's groups are all null, so are its sums).
#}
with group_totals as (
    select
        participant_id,
        follow_up_year,
        sum(actual_cost_dkk) as actual_cost_dkk,
        sum(baseline_cost_dkk) as baseline_cost_dkk,
        sum(savings_dkk) as savings_dkk,
        sum(gross_savings_dkk) as gross_savings_dkk,
        sum(municipal_savings_dkk) as municipal_savings_dkk
    from {{ ref('int_outcome_year_groups_valued') }}
    group by participant_id, follow_up_year
)

select
    cast(y.contract_id as varchar) as contract_id,
    cast(y.person_key as varchar) as person_key,
    cast(y.follow_up_year as integer) as follow_up_year,
    cast(y.weeks_self_supporting as integer) as weeks_self_supporting,
    cast(y.weeks_partial as integer) as weeks_partial,
    cast(y.weeks_public_support as integer) as weeks_public_support,
    cast(y.weeks_not_covered as integer) as weeks_not_covered,
    cast(y.outcome_status as varchar) as outcome_status,
    cast(g.actual_cost_dkk as {{ money_type() }}) as actual_cost_dkk,
    cast(g.baseline_cost_dkk as {{ money_type() }}) as baseline_cost_dkk,
    cast(g.savings_dkk as {{ money_type() }}) as savings_dkk,
    cast(y.is_complete as boolean) as is_complete,
    cast(y.achievement_date as date) as achievement_date,
    cast(y.counts_for_payment as boolean) as counts_for_payment,
    cast(g.gross_savings_dkk as {{ money_type() }}) as gross_savings_dkk,
    cast(g.municipal_savings_dkk as {{ money_type() }}) as municipal_savings_dkk
from {{ ref('int_outcome_years_counted') }} as y
left join group_totals as g
    on g.participant_id = y.participant_id and g.follow_up_year = y.follow_up_year

{#
  Participant x follow-up year x benefit group: actual cost, baseline cost and savings
  (outcomes.md, "Baseline and savings"), in the contract's valuation basis and - for the budget
  (finance.md) - gross and municipal alike:
    actual_cost[p,k,g]   = sum of cost over year k's weeks of group g
    pre_cost[p,g]        = sum of cost over the pre-period weeks of group g
    baseline_cost[p,k,g] = round(pre_cost[p,g] x factors[k], 2), half away from zero
    savings[p,k,g]       = baseline_cost[p,k,g] - actual_cost[p,k,g]
  Groups: every group seen in year k, plus (contracts with a baseline) every group seen in the
  pre-period; a group absent on one side counts 0.00 there.
  Nulls: actual_cost while the year is pending (not complete); baseline_cost and savings while
  the year is pending, when the baseline is incomplete, or when the contract has no baseline.
  These are the only places the null rules are applied: fct_outcome_years sums these rows.
#}
{{ config(materialized='table') }}

with group_costs as (
    select
        participant_id,
        follow_up_year,
        benefit_group,
        sum(cost_dkk) as cost_dkk,
        sum(gross_cost_dkk) as gross_cost_dkk,
        sum(municipal_cost_dkk) as municipal_cost_dkk
    from {{ ref('int_participant_weeks_summed') }}
    where benefit_group is not null
    group by participant_id, follow_up_year, benefit_group
),

years as (
    select
        y.participant_id,
        y.contract_id,
        y.person_key,
        y.follow_up_year,
        y.outcome_status,
        y.is_complete,
        b.baseline_complete
    from {{ ref('int_outcome_years_counted') }} as y
    inner join {{ ref('int_participant_baselines_assessed') }} as b
        on b.participant_id = y.participant_id
),

pre_groups_by_year as (
    select
        y.participant_id,
        y.follow_up_year,
        pg.benefit_group,
        pg.cost_dkk as pre_cost_dkk,
        pg.gross_cost_dkk as pre_gross_cost_dkk,
        pg.municipal_cost_dkk as pre_municipal_cost_dkk
    from years as y
    inner join group_costs as pg
        on pg.participant_id = y.participant_id and pg.follow_up_year = 0
    where y.baseline_complete is not null
),

group_keys as (
    select participant_id, follow_up_year, benefit_group
    from group_costs
    where follow_up_year >= 1
    union
    select participant_id, follow_up_year, benefit_group
    from pre_groups_by_year
),

valued as (
    select
        y.participant_id,
        y.contract_id,
        y.person_key,
        k.follow_up_year,
        k.benefit_group,
        y.outcome_status,
        y.baseline_complete,
        {%- for basis in ['', 'gross_', 'municipal_'] %}
        case
            when y.is_complete
                then coalesce(yg.{{ basis }}cost_dkk, cast(0 as {{ money_type() }}))
        end as {{ basis }}actual_cost_dkk,
        case
            when y.is_complete and y.baseline_complete
                then {{ money('coalesce(pg.pre_' ~ basis ~ 'cost_dkk, cast(0 as ' ~ money_type() ~ ')) * f.factor') }}
        end as {{ basis }}baseline_cost_dkk{{ ',' if not loop.last }}
        {%- endfor %}
    from group_keys as k
    inner join years as y
        on y.participant_id = k.participant_id and y.follow_up_year = k.follow_up_year
    left join group_costs as yg
        on yg.participant_id = k.participant_id
        and yg.follow_up_year = k.follow_up_year
        and yg.benefit_group = k.benefit_group
    left join pre_groups_by_year as pg
        on pg.participant_id = k.participant_id
        and pg.follow_up_year = k.follow_up_year
        and pg.benefit_group = k.benefit_group
    left join {{ ref('stg_contract_terms__baseline_factors') }} as f
        on f.contract_id = y.contract_id and f.follow_up_year = k.follow_up_year
)

select
    participant_id,
    contract_id,
    person_key,
    follow_up_year,
    benefit_group,
    outcome_status,
    baseline_complete,
    cast(actual_cost_dkk as {{ money_type() }}) as actual_cost_dkk,
    cast(baseline_cost_dkk as {{ money_type() }}) as baseline_cost_dkk,
    cast(baseline_cost_dkk - actual_cost_dkk as {{ money_type() }}) as savings_dkk,
    cast(gross_baseline_cost_dkk - gross_actual_cost_dkk as {{ money_type() }}) as gross_savings_dkk,
    cast(municipal_baseline_cost_dkk - municipal_actual_cost_dkk as {{ money_type() }}) as municipal_savings_dkk
from valued

{#
  Participant x follow-up year x benefit group: actual cost, baseline cost and savings
  (outcomes.md, "Baseline and savings"):
    actual_cost[p,k,g]   = sum of cost over year k's weeks of group g
    pre_cost[p,g]        = sum of cost over the pre-period weeks of group g
    baseline_cost[p,k,g] = round(pre_cost[p,g] x factors[k], 2), half away from zero
    savings[p,k,g]       = baseline_cost[p,k,g] - actual_cost[p,k,g]
  Groups: every group seen in year k, plus (contracts with a baseline) every group seen in the
  pre-period; a group absent on one side counts 0.00 there.
  Nulls: actual_cost while the year is pending; baseline_cost and savings while the year is
  pending, when the baseline is incomplete, or when the contract has no baseline.
#}
{{ config(materialized='table') }}

with year_groups as (
    select
        contract_id,
        person_key,
        follow_up_year,
        benefit_group,
        sum(cost_dkk) as actual_cost_dkk
    from {{ ref('int_participant_weeks_classified') }}
    where follow_up_week >= 1 and benefit_group is not null
    group by contract_id, person_key, follow_up_year, benefit_group
),

pre_groups as (
    select
        w.contract_id,
        w.person_key,
        w.benefit_group,
        sum(w.cost_dkk) as pre_cost_dkk
    from {{ ref('int_participant_weeks_classified') }} as w
    where w.follow_up_week <= 0 and w.benefit_group is not null
    group by w.contract_id, w.person_key, w.benefit_group
),

years as (
    select
        y.contract_id,
        y.person_key,
        y.follow_up_year,
        y.outcome_status,
        b.baseline_complete
    from {{ ref('int_outcome_years_counted') }} as y
    inner join {{ ref('int_participant_baselines_assessed') }} as b
        on b.contract_id = y.contract_id and b.person_key = y.person_key
),

pre_groups_by_year as (
    select
        y.contract_id,
        y.person_key,
        y.follow_up_year,
        pg.benefit_group,
        pg.pre_cost_dkk
    from years as y
    inner join pre_groups as pg
        on pg.contract_id = y.contract_id and pg.person_key = y.person_key
    where y.baseline_complete is not null
),

group_keys as (
    select contract_id, person_key, follow_up_year, benefit_group from year_groups
    union
    select contract_id, person_key, follow_up_year, benefit_group from pre_groups_by_year
),

valued as (
    select
        k.contract_id,
        k.person_key,
        k.follow_up_year,
        k.benefit_group,
        y.outcome_status,
        y.baseline_complete,
        case
            when y.outcome_status <> 'pending'
                then coalesce(yg.actual_cost_dkk, cast(0 as {{ money_type() }}))
        end as actual_cost_dkk,
        case
            when y.outcome_status <> 'pending' and y.baseline_complete
                then {{ money('coalesce(pg.pre_cost_dkk, cast(0 as ' ~ money_type() ~ ')) * f.factor') }}
        end as baseline_cost_dkk
    from group_keys as k
    inner join years as y
        on y.contract_id = k.contract_id
        and y.person_key = k.person_key
        and y.follow_up_year = k.follow_up_year
    left join year_groups as yg
        on yg.contract_id = k.contract_id
        and yg.person_key = k.person_key
        and yg.follow_up_year = k.follow_up_year
        and yg.benefit_group = k.benefit_group
    left join pre_groups_by_year as pg
        on pg.contract_id = k.contract_id
        and pg.person_key = k.person_key
        and pg.follow_up_year = k.follow_up_year
        and pg.benefit_group = k.benefit_group
    left join {{ ref('stg_contract_terms__baseline_factors') }} as f
        on f.contract_id = k.contract_id and f.follow_up_year = k.follow_up_year
)

select
    contract_id,
    person_key,
    follow_up_year,
    benefit_group,
    outcome_status,
    baseline_complete,
    cast(actual_cost_dkk as {{ money_type() }}) as actual_cost_dkk,
    cast(baseline_cost_dkk as {{ money_type() }}) as baseline_cost_dkk,
    cast(baseline_cost_dkk - actual_cost_dkk as {{ money_type() }}) as savings_dkk
from valued

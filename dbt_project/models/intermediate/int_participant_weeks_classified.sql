{#
  Every participant's 52 + 52 x years weeks, with their evidence, coverage, status and cost
  (outcomes.md, "Participant-weeks").

  - benefit_code / benefit_group: only where the benefit vintage reaches the week; there, an
    absent cell means no benefit (group `none`).
  - employment_hours: hours of the month of the week's Thursday; 0 without lines; null outside
    the income coverage or in a not-covered person-month.
  - covered: benefit coverage, and — for a follow-up week of a contract that uses employment
    hours — known employment hours (income coverage and not a not-covered person-month).
  - status: not_covered > self_supporting > partial > public_support (first that applies).
  - gross_cost_dkk: the resolved weekly rate of the group on a covered week; null otherwise.
  - ladder_week, municipal_share: the person's ladder week number and the municipality's share
    of the week (int_benefit_weeks_laddered; a covered week without a benefit cell is
    self-supported, share 0); null on a week that is not covered. municipal_cost_dkk =
    round(gross_cost_dkk x municipal_share, 2), half away from zero (null where no ladder row
    matched: the payment engine refuses such a run).
  - cost_dkk: the cost in the contract's valuation basis - gross_cost_dkk (basis gross, the
    default) or municipal_cost_dkk (basis municipal_net).

  The week grid comes from int_participant_weeks_spined; this table adds the evidence and the
  rules. It is kept compact (integer keys, no labels or repeated text): the public
  fct_participant_weeks adds keys and labels, and every aggregate reads it once through
  int_participant_weeks_summed.
#}
{{ config(materialized='table') }}

-- No filter on excluded_reason here: the grid holds participants only, and a filter would make
-- the engine underestimate the grid and build the benefit join's hash table on the wrong side.
with participants as (
    select
        p.participant_id,
        p.contract_id,
        c.employment_hours_per_month,
        c.valuation_basis
    from {{ ref('int_participants_classified') }} as p
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = p.contract_id
),

coverage as (
    select
        max(case when source = 'benefits' then coverage_start end) as benefit_coverage_start,
        max(case when source = 'benefits' then coverage_end end) as benefit_coverage_end,
        max(case when source = 'income' then coverage_start end) as income_coverage_start,
        max(case when source = 'income' then coverage_end end) as income_coverage_end
    from {{ ref('stg_selected_vintages__vintages') }}
),

evidence as (
    select
        w.participant_id,
        p.contract_id,
        p.employment_hours_per_month,
        p.valuation_basis,
        w.follow_up_week,
        w.follow_up_year,
        w.week_start,
        coalesce(
            w.week_start >= cov.benefit_coverage_start and w.week_start <= cov.benefit_coverage_end,
            false
        ) as in_benefit_coverage,
        bw.benefit_code as register_code,
        bw.benefit_group as register_group,
        bw.ladder_week as register_ladder_week,
        bw.municipal_share as register_municipal_share,
        bw.benefit_group is not null as has_register_cell,
        case
            when w.month_start >= cov.income_coverage_start
                and w.month_start <= cov.income_coverage_end
                and not coalesce(em.is_not_covered, false)
                then coalesce(em.employment_hours, cast(0 as decimal(18, 2)))
        end as employment_hours
    from {{ ref('int_participant_weeks_spined') }} as w
    inner join participants as p
        on p.participant_id = w.participant_id
    cross join coverage as cov
    left join {{ ref('int_benefit_weeks_laddered') }} as bw
        on bw.person_id = w.person_id and bw.week_start = w.week_start
    left join {{ ref('int_employment_months_summed') }} as em
        on em.person_id = w.person_id and em.month_start = w.month_start
),

grouped as (
    select
        e.*,
        case when e.in_benefit_coverage then e.register_code end as benefit_code,
        case when e.in_benefit_coverage then coalesce(e.register_group, 'none') end as benefit_group,
        (
            e.in_benefit_coverage
            and (
                e.follow_up_week <= 0
                or e.employment_hours_per_month is null
                or e.employment_hours is not null
            )
        ) as covered
    from evidence as e
),

valued as (
    select
        g.*,
        cg.is_self_supporting,
        cg.is_partial,
        case when g.covered then cg.weekly_rate_dkk end as gross_cost_dkk,
        case when g.covered then g.register_ladder_week end as ladder_week,
        case
            when not g.covered then null
            when g.has_register_cell then g.register_municipal_share
            else cast(0 as decimal(20, 10))
        end as municipal_share
    from grouped as g
    left join {{ ref('int_contract_groups_resolved') }} as cg
        on cg.contract_id = g.contract_id and cg.benefit_group = g.benefit_group
),

costed as (
    select
        v.*,
        {{ money('v.gross_cost_dkk * v.municipal_share') }} as municipal_cost_dkk
    from valued as v
)

select
    c.participant_id,
    c.follow_up_week,
    c.follow_up_year,
    c.week_start,
    c.benefit_code,
    c.benefit_group,
    c.employment_hours,
    c.covered,
    case
        when not c.covered then 'not_covered'
        when c.is_self_supporting then 'self_supporting'
        when c.is_partial then 'partial'
        when c.employment_hours_per_month is not null
            and c.employment_hours >= c.employment_hours_per_month then 'partial'
        else 'public_support'
    end as status,
    case
        when c.valuation_basis = 'municipal_net' then c.municipal_cost_dkk
        else c.gross_cost_dkk
    end as cost_dkk,
    c.gross_cost_dkk,
    c.municipal_share,
    c.municipal_cost_dkk,
    c.ladder_week
from costed as c

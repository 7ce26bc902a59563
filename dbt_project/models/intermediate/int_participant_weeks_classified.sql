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
  - cost_dkk: the resolved weekly rate of the group on a covered week; null otherwise.

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
        c.employment_hours_per_month
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
        w.follow_up_week,
        w.follow_up_year,
        w.week_start,
        coalesce(
            w.week_start >= cov.benefit_coverage_start and w.week_start <= cov.benefit_coverage_end,
            false
        ) as in_benefit_coverage,
        bw.benefit_code as register_code,
        bw.benefit_group as register_group,
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
    left join {{ ref('int_benefit_weeks_keyed') }} as bw
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
)

select
    g.participant_id,
    g.follow_up_week,
    g.follow_up_year,
    g.week_start,
    g.benefit_code,
    g.benefit_group,
    g.employment_hours,
    g.covered,
    case
        when not g.covered then 'not_covered'
        when cg.is_self_supporting then 'self_supporting'
        when cg.is_partial then 'partial'
        when g.employment_hours_per_month is not null
            and g.employment_hours >= g.employment_hours_per_month then 'partial'
        else 'public_support'
    end as status,
    case when g.covered then cg.weekly_rate_dkk end as cost_dkk
from grouped as g
left join {{ ref('int_contract_groups_resolved') }} as cg
    on cg.contract_id = g.contract_id and cg.benefit_group = g.benefit_group

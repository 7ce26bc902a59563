{#
  Every participant's 52 + 52 x years weeks, with their evidence, coverage, status and cost
  (outcomes.md, "Participant-weeks"). Week 1 is the ISO week containing start_date; week w starts
  7(w-1) days after week 1's Monday, so 53-week ISO years need no special case.

  - benefit_code / benefit_group: only where the benefit vintage reaches the week; there, an
    absent cell means no benefit (group `none`).
  - employment_hours: hours of the month of the week's Thursday; 0 without lines; null outside
    the income coverage or in a not-covered person-month.
  - covered: benefit coverage, and — for a follow-up week of a contract that uses employment
    hours — known employment hours (income coverage and not a not-covered person-month).
  - status: not_covered > self_supporting > partial > public_support (first that applies).
  - cost_dkk: the resolved weekly rate of the group on a covered week; null otherwise.
#}
{{ config(materialized='table') }}

with participants as (
    select
        p.contract_id,
        p.person_key,
        p.start_week_monday,
        p.benefit_file_sha256,
        p.benefit_line
    from {{ ref('int_participants_classified') }} as p
    where p.excluded_reason is null
),

coverage as (
    select
        max(case when source = 'benefits' then coverage_start end) as benefit_coverage_start,
        max(case when source = 'benefits' then coverage_end end) as benefit_coverage_end,
        max(case when source = 'income' then coverage_start end) as income_coverage_start,
        max(case when source = 'income' then coverage_end end) as income_coverage_end
    from {{ ref('stg_selected_vintages__vintages') }}
),

weeks as (
    select
        p.contract_id,
        p.person_key,
        s.follow_up_week,
        s.follow_up_year,
        {{ add_days('p.start_week_monday', '7 * (s.follow_up_week - 1)') }} as week_start,
        p.benefit_file_sha256,
        p.benefit_line
    from participants as p
    inner join {{ ref('int_contract_weeks_spined') }} as s
        on s.contract_id = p.contract_id
),

dated as (
    select
        w.*,
        {{ month_start(add_days('w.week_start', 3)) }} as month_start
    from weeks as w
),

evidence as (
    select
        d.contract_id,
        d.person_key,
        d.follow_up_week,
        d.follow_up_year,
        d.week_start,
        d.month_start,
        d.benefit_file_sha256,
        d.benefit_line,
        c.employment_hours_per_month,
        coalesce(
            d.week_start >= cov.benefit_coverage_start and d.week_start <= cov.benefit_coverage_end,
            false
        ) as in_benefit_coverage,
        bw.benefit_code as register_code,
        bc.benefit_group as register_group,
        case
            when d.month_start >= cov.income_coverage_start
                and d.month_start <= cov.income_coverage_end
                and not coalesce(em.is_not_covered, false)
                then coalesce(em.employment_hours, cast(0 as decimal(18, 2)))
        end as employment_hours
    from dated as d
    cross join coverage as cov
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = d.contract_id
    left join {{ ref('stg_benefit_register__weeks') }} as bw
        on bw.person_key = d.person_key and bw.week_start = d.week_start
    left join {{ ref('benefit_codes') }} as bc
        on bc.benefit_code = bw.benefit_code
    left join {{ ref('int_employment_months_summed') }} as em
        on em.person_key = d.person_key and em.month_start = d.month_start
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
    g.contract_id,
    g.person_key,
    g.follow_up_week,
    g.follow_up_year,
    g.week_start,
    g.month_start,
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
    case when g.covered then cg.weekly_rate_dkk end as cost_dkk,
    g.benefit_file_sha256,
    g.benefit_line
from grouped as g
left join {{ ref('int_contract_groups_resolved') }} as cg
    on cg.contract_id = g.contract_id and cg.benefit_group = g.benefit_group

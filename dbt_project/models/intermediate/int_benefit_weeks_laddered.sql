{#
  The participants' benefit-register weeks (int_benefit_weeks_keyed) with the person's ladder
  week number and the municipality's share of the week (finance.md, "The ladder week number"):

  - A ladder week is a week whose group's financing is refusion or cofinancing; every other week
    of the vintage's coverage (another group, or no code: no row here) is self-supported.
  - Weeks are read per person from the benefit coverage start (week index t = 0, 1, ...). The
    first ladder week opens a period, number 1; each later ladder week of the period counts one
    more. A new period opens at ladder week w when at least 52 of the weeks w-156 ... w-1 are
    self-supported weeks after the current period's first week s; w is then number 1.
    History before the coverage start counts as none. Per person, independent of contracts.
  - municipal_share: for a ladder week, municipal_share of the refusion_ladder row with its
    financing, first_week <= number <= last_week (empty = open) and its Thursday within
    valid_from ... valid_to (empty = open); null when no row matches (the payment engine refuses
    the run when a participant-week needs it). 0 for every other week (financing state or none).

  How it is computed, set-based. With r the week's rank among the person's ladder weeks,
    self_before(w)    = t - r + 1                   self-supported weeks before w,
    self_in_window(w) = min(t, 156) - ladder weeks among w-156 ... w-1,
  the restart condition at w, given the period start s, is (self weeks are counted by prefix
  sums, which are monotone) self_in_window(w) >= 52 and self_before(w) >= self_before(s) + 52.
  The first condition does not depend on s: it makes w a candidate. So the next period start
  after s is the first candidate w with self_before(w) >= self_before(s) + 52 - one window
  function gives that pointer for the first ladder week and every candidate. The period starts
  are the chain of pointers from the first ladder week: a recursive CTE over periods (a handful
  per person: starts lie 53 weeks apart at least), not over weeks.
#}
{{ config(materialized='table') }}

with coverage as (
    select coverage_start
    from {{ ref('stg_selected_vintages__vintages') }}
    where source = 'benefits'
),

weeks as (
    select
        w.person_id,
        w.week_start,
        w.benefit_code,
        w.benefit_group,
        g.financing,
        coalesce(g.financing in ('refusion', 'cofinancing'), false) as is_ladder_week,
        {{ int_div(datediff_days('cov.coverage_start', 'w.week_start'), '7') }} as week_index
    from {{ ref('int_benefit_weeks_keyed') }} as w
    left join {{ ref('benefit_groups') }} as g
        on g.benefit_group = w.benefit_group
    cross join coverage as cov
),

counted as (
    select
        weeks.*,
        sum(case when is_ladder_week then 1 else 0 end) over (
            partition by person_id order by week_index
            rows between unbounded preceding and current row
        ) as ladder_rank,
        sum(case when is_ladder_week then 1 else 0 end) over (
            partition by person_id order by week_index
            range between 156 preceding and 1 preceding
        ) as ladder_weeks_in_window
    from weeks
),

measured as (
    select
        counted.*,
        week_index - ladder_rank + 1 as self_before,
        least(week_index, 156) - coalesce(ladder_weeks_in_window, 0) as self_in_window
    from counted
),

-- Probes: the weeks that can open a period (the first ladder week, every candidate), each
-- looking for the first candidate at least 52 self-supported weeks later; candidates are found
-- at or after the probe's level in (level, kind) order.
pointer_events as (
    select person_id, self_before + 52 as level, 0 as kind, week_index as probe_index,
           ladder_rank, cast(null as integer) as candidate_index
    from measured
    where is_ladder_week and (ladder_rank = 1 or self_in_window >= 52)
    union all
    select person_id, self_before as level, 1 as kind, cast(null as integer) as probe_index,
           cast(null as integer) as ladder_rank, week_index as candidate_index
    from measured
    where is_ladder_week and self_in_window >= 52
),

pointers as (
    select person_id, probe_index as week_index, ladder_rank, next_start_index
    from (
        select
            pointer_events.*,
            min(candidate_index) over (
                partition by person_id order by level, kind
                rows between current row and unbounded following
            ) as next_start_index
        from pointer_events
    ) as looked_up
    where kind = 0
),

period_starts as (
    select person_id, start_index
    from (
        with recursive chain (person_id, start_index, next_start_index) as (
            select person_id, week_index, next_start_index
            from pointers
            where ladder_rank = 1
            union all
            select c.person_id, p.week_index, p.next_start_index
            from chain as c
            inner join pointers as p
                on p.person_id = c.person_id and p.week_index = c.next_start_index
        )
        select person_id, start_index from chain
    ) as chained
),

numbered as (
    select
        m.*,
        max(case when s.start_index is not null then m.ladder_rank end) over (
            partition by m.person_id order by m.week_index
            rows between unbounded preceding and current row
        ) as period_start_rank
    from measured as m
    left join period_starts as s
        on s.person_id = m.person_id and s.start_index = m.week_index
),

laddered as (
    select
        person_id,
        week_start,
        benefit_code,
        benefit_group,
        financing,
        is_ladder_week,
        week_index,
        case when is_ladder_week then cast(ladder_rank - period_start_rank + 1 as integer) end as ladder_week
    from numbered
)

select
    l.person_id,
    l.week_start,
    l.benefit_code,
    l.benefit_group,
    l.financing,
    l.ladder_week,
    l.week_index = 0 and l.is_ladder_week as is_coverage_start_ladder_week,
    case
        when l.is_ladder_week then r.municipal_share
        else cast(0 as decimal(20, 10))
    end as municipal_share
from laddered as l
left join {{ ref('refusion_ladder') }} as r
    on l.is_ladder_week
    and r.financing = l.financing
    and l.ladder_week >= r.first_week
    and (r.last_week is null or l.ladder_week <= r.last_week)
    and {{ add_days('l.week_start', 3) }} >= r.valid_from
    and (r.valid_to is null or {{ add_days('l.week_start', 3) }} <= r.valid_to)

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

  How it is computed, set-based. With r the week's rank among the person's ladder weeks (one
  window function),
    self_before(w)    = t - r + 1                   self-supported weeks before w,
    self_in_window(w) = min(t, 156) - ladder weeks among w-156 ... w-1
                      = min(t, 156) - (r - 1 - the rank of the last ladder week before w-156),
  the restart condition at w, given the period start s, is (self weeks are counted by prefix
  sums, which are monotone) self_in_window(w) >= 52 and self_before(w) >= self_before(s) + 52.
  The first condition does not depend on s: it makes w a candidate. So the next period start
  after s is the first candidate w with self_before(w) >= self_before(s) + 52: an as-of join
  gives that pointer for the first ladder week and every candidate. The period starts are the
  chain of pointers from the first ladder week: a recursive CTE over periods (a handful per
  person: starts lie 53 weeks apart at least), not over weeks. A week's number is its rank
  minus the rank of its period's start, plus 1 (looked up only for persons with more than one
  period).
  DuckDB SQL: the two lookups are as-of joins, the period starts a list per person (a port to
  another engine would use RANGE window frames and a join instead; measured slower here).
#}
{{ config(materialized='table') }}

with coverage as (
    select coverage_start
    from {{ ref('stg_selected_vintages__vintages') }}
    where source = 'benefits'
),

-- Every benefit week of the participants' persons, with its rank among the person's ladder weeks.
ranked as (
    select
        w.person_id,
        w.week_start,
        w.benefit_code,
        w.benefit_group,
        g.financing,
        coalesce(g.financing in ('refusion', 'cofinancing'), false) as is_ladder_week,
        {{ int_div(datediff_days('cov.coverage_start', 'w.week_start'), '7') }} as week_index,
        cast(sum(case when g.financing in ('refusion', 'cofinancing') then 1 else 0 end) over (
            partition by w.person_id order by w.week_start
            rows between unbounded preceding and current row
        ) as integer) as ladder_rank
    from {{ ref('int_benefit_weeks_keyed') }} as w
    left join {{ ref('benefit_groups') }} as g
        on g.benefit_group = w.benefit_group
    cross join coverage as cov
),

ladder as (
    select person_id, week_index, ladder_rank, week_index - ladder_rank + 1 as self_before
    from ranked
    where is_ladder_week
),

-- self_in_window, for the ladder weeks that can be candidates at all (52 self weeks before them).
measured as (
    select
        a.person_id,
        a.week_index,
        a.ladder_rank,
        a.self_before,
        least(a.week_index, 156) - (a.ladder_rank - 1 - coalesce(b.ladder_rank, 0)) as self_in_window
    from (select * from ladder where self_before >= 52) as a
    asof left join ladder as b
        on b.person_id = a.person_id and b.week_index <= a.week_index - 157
),

-- Candidates ordered by (self_before, week): the first at or above a level is the first in time.
candidates as (
    select person_id, week_index, cast(self_before as bigint) * 100000 + week_index as candidate_key
    from measured
    where self_in_window >= 52
),

probes as (
    select person_id, week_index, ladder_rank, true as is_first, self_before
    from ladder
    where ladder_rank = 1
    union all
    select person_id, week_index, ladder_rank, false as is_first, self_before
    from measured
    where self_in_window >= 52
),

pointers as (
    select p.person_id, p.week_index, p.ladder_rank, p.is_first, c.week_index as next_start_index
    from probes as p
    asof left join candidates as c
        on c.person_id = p.person_id
        and c.candidate_key >= cast(p.self_before + 52 as bigint) * 100000
),

-- The period starts of every person with more than one period (for the others: rank = number).
period_starts as (
    select
        person_id,
        list(start_index order by start_index) as start_indexes,
        list(start_rank order by start_index) as start_ranks
    from (
        with recursive chain (person_id, start_index, start_rank, next_start_index) as (
            select person_id, week_index, ladder_rank, next_start_index
            from pointers
            where is_first
            union all
            select c.person_id, p.week_index, p.ladder_rank, p.next_start_index
            from chain as c
            inner join pointers as p
                on p.person_id = c.person_id and p.week_index = c.next_start_index
        )
        select person_id, start_index, start_rank from chain
    ) as chained
    group by person_id
    having count(*) > 1
),

numbered as (
    select
        r.person_id,
        r.week_start,
        r.benefit_code,
        r.benefit_group,
        r.financing,
        r.is_ladder_week,
        r.week_index,
        case
            when not r.is_ladder_week then null
            when p.person_id is null then r.ladder_rank
            else cast(r.ladder_rank - list_extract(p.start_ranks,
                len(list_filter(p.start_indexes, lambda s: s <= r.week_index))) + 1 as integer)
        end as ladder_week
    from ranked as r
    left join period_starts as p
        on p.person_id = r.person_id
),

-- The ladder rows by financing and number (so the weeks join them on equality).
ladder_steps as (
    select x.financing, n.ladder_week, x.valid_from, x.valid_to, x.municipal_share
    from {{ ref('refusion_ladder') }} as x
    inner join (select distinct ladder_rank as ladder_week from ladder) as n
        on n.ladder_week >= x.first_week
        and (x.last_week is null or n.ladder_week <= x.last_week)
)

select
    n.person_id,
    n.week_start,
    n.benefit_code,
    n.benefit_group,
    n.ladder_week,
    n.week_index = 0 and n.is_ladder_week as is_coverage_start_ladder_week,
    case
        when n.is_ladder_week then cast(x.municipal_share as decimal(20, 10))
        else cast(0 as decimal(20, 10))
    end as municipal_share
from numbered as n
left join ladder_steps as x
    on x.financing = n.financing
    and x.ladder_week = n.ladder_week
    and {{ add_days('n.week_start', 3) }} >= x.valid_from
    and (x.valid_to is null or {{ add_days('n.week_start', 3) }} <= x.valid_to)

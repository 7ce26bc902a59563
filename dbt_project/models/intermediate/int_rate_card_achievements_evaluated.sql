{#
  Every rate-card outcome of every participant, streaks and year statuses alike (contracts.md,
  "rate_card"): one row per participant x streak outcome (follow_up_year 0) and per participant x
  year_status outcome x listed year k.
  - A streak is as int_streak_outcomes_evaluated found it (achievement week w, status verified |
    failed | open).
  - A year_status outcome in year k is verified when the year is complete with a status among the
    outcome's statuses; failed when complete with another; open while the year is pending. Its
    achievement week is 52k, its date the Monday of that week.
  - requires: the required outcome (of the same participant) was achieved and verified in the
    same or an earlier follow-up week. The earliest such achievement is kept, by (week, year), as
    the requirement's evidence. The required outcome's own `requires` is not applied again: the
    requirement is its register fact, not its payment.
  What is owed for these achievements (prices, caps, items) is the payment engine's.
#}
with outcomes as (
    select contract_id, outcome_id, outcome_position, outcome_kind, requires_outcome_id
    from {{ ref('stg_contract_terms__rate_card_outcomes') }}
),

streak_rows as (
    select
        s.participant_id,
        s.contract_id,
        s.person_key,
        s.outcome_id,
        0 as follow_up_year,
        s.achievement_week,
        s.achievement_date,
        s.streak_status as achievement_status,
        s.streak_status as outcome_status
    from {{ ref('int_streak_outcomes_evaluated') }} as s
),

year_statuses as (
    select distinct contract_id, outcome_id, status
    from {{ ref('stg_contract_terms__outcome_statuses') }}
),

year_rows as (
    select
        y.participant_id,
        y.contract_id,
        y.person_key,
        o.outcome_id,
        y.follow_up_year,
        y.is_complete,
        y.outcome_status,
        y.achievement_date as year_achievement_date,
        st.status is not null as status_counts
    from outcomes as o
    inner join {{ ref('stg_contract_terms__outcome_years') }} as oy
        on oy.contract_id = o.contract_id and oy.outcome_id = o.outcome_id
    inner join {{ ref('int_outcome_years_counted') }} as y
        on y.contract_id = o.contract_id and y.follow_up_year = oy.follow_up_year
    left join year_statuses as st
        on st.contract_id = o.contract_id and st.outcome_id = o.outcome_id
        and st.status = y.outcome_status
    where o.outcome_kind = 'year_status'
),

evaluated as (
    select
        participant_id, contract_id, person_key, outcome_id, follow_up_year,
        achievement_week, achievement_date, achievement_status, outcome_status
    from streak_rows
    union all
    select
        participant_id,
        contract_id,
        person_key,
        outcome_id,
        follow_up_year,
        case when is_complete and status_counts then 52 * follow_up_year end as achievement_week,
        case when is_complete and status_counts then year_achievement_date end as achievement_date,
        case
            when not is_complete then 'open'
            when status_counts then 'verified'
            else 'failed'
        end as achievement_status,
        outcome_status
    from year_rows
),

requirements as (
    select
        a.participant_id,
        a.outcome_id,
        a.follow_up_year,
        r.follow_up_year as required_follow_up_year,
        r.achievement_week as required_achievement_week,
        r.outcome_status as required_outcome_status,
        row_number() over (
            partition by a.participant_id, a.outcome_id, a.follow_up_year
            order by r.achievement_week, r.follow_up_year
        ) as earliest
    from evaluated as a
    inner join outcomes as o
        on o.contract_id = a.contract_id and o.outcome_id = a.outcome_id
    inner join evaluated as r
        on r.participant_id = a.participant_id
        and r.outcome_id = o.requires_outcome_id
        and r.achievement_status = 'verified'
        and r.achievement_week <= a.achievement_week
    where a.achievement_status = 'verified'
)

select
    e.participant_id,
    e.contract_id,
    e.person_key,
    e.outcome_id,
    o.outcome_position,
    o.outcome_kind,
    cast(e.follow_up_year as integer) as follow_up_year,
    cast(e.achievement_week as integer) as achievement_week,
    e.achievement_date,
    e.achievement_status,
    e.outcome_status,
    o.requires_outcome_id,
    case when o.requires_outcome_id is not null then q.participant_id is not null end as requirement_met,
    cast(q.required_follow_up_year as integer) as required_follow_up_year,
    cast(q.required_achievement_week as integer) as required_achievement_week,
    q.required_outcome_status
from evaluated as e
inner join outcomes as o
    on o.contract_id = e.contract_id and o.outcome_id = e.outcome_id
left join requirements as q
    on q.participant_id = e.participant_id
    and q.outcome_id = e.outcome_id
    and q.follow_up_year = e.follow_up_year
    and q.earliest = 1

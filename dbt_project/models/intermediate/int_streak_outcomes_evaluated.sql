{#
  Streak outcomes of rate-card contracts, per participant (outcomes.md, "Streaks"):
  - achieved in the first follow-up week w >= N where weeks w-N+1 ... w all have a status in the
    outcome's statuses, provided w <= within_weeks when set;
  - verified once weeks 1 ... w are all covered;
  - failed only when weeks 1 ... horizon are all covered and nothing was achieved, where the
    horizon is within_weeks, or all 52 x years follow-up weeks when within_weeks is not set;
  - open otherwise (an achievement with an uncovered week before it stays open: that week could
    still hold an earlier achievement).
  Runs of qualifying weeks are found set-based (gaps and islands): within a run, follow_up_week
  minus its row number is constant; a run of length L >= N starting at s first completes a
  streak in week s + N - 1.
#}
{{ config(materialized='table') }}

with contracts as (
    select contract_id, follow_up_years
    from {{ ref('stg_contract_terms__contracts') }}
),

outcomes as (
    select
        o.contract_id,
        o.outcome_id,
        o.outcome_position,
        o.streak_weeks,
        o.within_weeks,
        coalesce(o.within_weeks, 52 * c.follow_up_years) as horizon_weeks
    from {{ ref('stg_contract_terms__rate_card_outcomes') }} as o
    inner join contracts as c
        on c.contract_id = o.contract_id
    where o.outcome_kind = 'streak'
),

-- The statuses as the terms loader wrote them, default (self_supporting) applied there
-- (tests/rate_card_outcomes_have_statuses.sql).
outcome_statuses as (
    select distinct
        o.contract_id,
        o.outcome_id,
        s.status
    from outcomes as o
    inner join {{ ref('stg_contract_terms__outcome_statuses') }} as s
        on s.contract_id = o.contract_id and s.outcome_id = o.outcome_id
),

participants as (
    select p.participant_id, p.contract_id, p.person_key, p.start_week_monday
    from {{ ref('int_participants_classified') }} as p
    where p.excluded_reason is null
        and p.contract_id in (select contract_id from outcomes)
),

follow_up_weeks as (
    select w.participant_id, p.contract_id, w.follow_up_week, w.status, w.covered
    from {{ ref('int_participant_weeks_classified') }} as w
    inner join participants as p
        on p.participant_id = w.participant_id
    where w.follow_up_week >= 1
),

first_gaps as (
    select
        participant_id,
        min(case when not covered then follow_up_week end) as first_uncovered_week
    from follow_up_weeks
    group by participant_id
),

qualifying as (
    select
        f.participant_id,
        os.outcome_id,
        f.follow_up_week,
        f.follow_up_week - row_number() over (
            partition by f.participant_id, os.outcome_id
            order by f.follow_up_week
        ) as run_id
    from follow_up_weeks as f
    inner join outcome_statuses as os
        on os.contract_id = f.contract_id and os.status = f.status
),

runs as (
    select
        participant_id,
        outcome_id,
        min(follow_up_week) as run_start,
        max(follow_up_week) as run_end
    from qualifying
    group by participant_id, outcome_id, run_id
),

achievements as (
    select
        r.participant_id,
        r.outcome_id,
        min(r.run_start + o.streak_weeks - 1) as achievement_week
    from runs as r
    inner join participants as p
        on p.participant_id = r.participant_id
    inner join outcomes as o
        on o.contract_id = p.contract_id and o.outcome_id = r.outcome_id
    where r.run_end - r.run_start + 1 >= o.streak_weeks
        and r.run_start + o.streak_weeks - 1 <= o.horizon_weeks
    group by r.participant_id, r.outcome_id
)

select
    p.participant_id,
    p.contract_id,
    p.person_key,
    o.outcome_id,
    o.outcome_position,
    o.streak_weeks,
    o.within_weeks,
    o.horizon_weeks,
    cast(a.achievement_week as integer) as achievement_week,
    case
        when a.achievement_week is not null
            then {{ follow_up_week_monday('p.start_week_monday', 'a.achievement_week') }}
    end as achievement_date,
    g.first_uncovered_week,
    case
        when a.achievement_week is not null
            and (g.first_uncovered_week is null or g.first_uncovered_week > a.achievement_week)
            then 'verified'
        when a.achievement_week is null
            and (g.first_uncovered_week is null or g.first_uncovered_week > o.horizon_weeks)
            then 'failed'
        else 'open'
    end as streak_status
from participants as p
inner join outcomes as o
    on o.contract_id = p.contract_id
left join achievements as a
    on a.participant_id = p.participant_id and a.outcome_id = o.outcome_id
left join first_gaps as g
    on g.participant_id = p.participant_id

-- Audit memo — the week grid has each participant's weeks exactly once (on the small inputs)
-- Invariant: (a) every contract's week numbering (int_contract_weeks_spined) is exactly
--            -51 ... 52 x years; (b) the calendar (int_calendar_weeks) is an unbroken run of
--            Mondays; (c) it spans every participant's weeks, from week -51 (start_week_monday
--            - 364 days) to week 52 x years (start_week_monday + 7 (52 x years - 1) days), and
--            every participant's start_week_monday is a Monday.
-- Why here:  it replaces the uniqueness test of (participant_id, follow_up_week) on the
--            16.8M-row int_participant_weeks_classified (~3 s at 100k participants) by checks on
--            a few thousand rows, and is equivalent to it together with the tests it builds on:
--            - participant_id is unique in int_participants_classified, (contract_id,
--              follow_up_week) unique in int_contract_weeks_spined and week_start unique in
--              int_calendar_weeks (their own tests);
--            - with (a)-(c), the grid (participants x their contract's weeks, inner-joined to the
--              calendar on the week's Monday) has exactly 52 + 52 x years distinct weeks per
--              participant: nothing is lost to a gap, nothing doubled;
--            - int_participant_weeks_classified keeps every grid row (its other joins are the
--              unique participant key and left joins) and can only repeat one, through a left
--              join matching twice (a duplicate benefit cell, person-month or contract group);
--            - participant_weeks_complete asserts exactly 52 + 52 x years rows per participant,
--              so no grid row is repeated: (participant_id, follow_up_week) is unique.
--            (a)-(c) exclude the one case the row count alone would miss: a week lost to a gap
--            while another is doubled.
-- Nulls:     a participant with a null start_week_monday is caught by the expression test of
--            int_participants_classified; here it fails (c) as well (the comparisons are not
--            true). An empty calendar with participants fails (c).
with spine as (
    select s.contract_id, count(*) as n_weeks, min(s.follow_up_week) as first_week,
           max(s.follow_up_week) as last_week, max(c.follow_up_years) as follow_up_years
    from {{ ref('int_contract_weeks_spined') }} as s
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = s.contract_id
    group by s.contract_id
),

contracts_without_spine as (
    select c.contract_id
    from {{ ref('stg_contract_terms__contracts') }} as c
    left join spine as s
        on s.contract_id = c.contract_id
    where s.contract_id is null
),

calendar as (
    select min(week_start) as first_monday, max(week_start) as last_monday, count(*) as n_weeks,
           count(*) filter (where {{ iso_day_of_week('week_start') }} <> 1) as non_mondays
    from {{ ref('int_calendar_weeks') }}
),

participants as (
    select p.participant_id, p.start_week_monday, c.follow_up_years
    from {{ ref('int_participants_classified') }} as p
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = p.contract_id
    where p.excluded_reason is null
)

select 'contract weeks not -51 ... 52 x years' as problem, contract_id as subject
from spine
where not (n_weeks = 52 + 52 * follow_up_years and first_week = -51 and last_week = 52 * follow_up_years)
union all
select 'contract without week numbering', contract_id
from contracts_without_spine
union all
select 'calendar not an unbroken run of Mondays', cast(first_monday as varchar)
from calendar
where n_weeks > 0
    and not (non_mondays = 0 and n_weeks = {{ int_div(datediff_days('first_monday', 'last_monday'), '7') }} + 1)
union all
select 'calendar does not span the participant''s weeks', cast(p.participant_id as varchar)
from participants as p
cross join calendar as cal
where not coalesce(
    {{ iso_day_of_week('p.start_week_monday') }} = 1
    and {{ add_days('p.start_week_monday', '-364') }} >= cal.first_monday
    and {{ add_days('p.start_week_monday', '7 * (52 * p.follow_up_years - 1)') }} <= cal.last_monday,
    false)

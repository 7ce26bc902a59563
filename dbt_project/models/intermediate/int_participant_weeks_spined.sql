{#
  The week grid of every participant: follow-up weeks -51 ... 52 x years with their Monday and
  the month of their Thursday. Week 1 is the ISO week containing start_date (a Sunday start
  belongs to the week ending that day); week w starts 7(w-1) days after week 1's Monday, so
  53-week ISO years need no special case.
  Materialised on its own, with integer keys only: it is the largest table of the project, and
  being a stored table gives the engine its exact size when the evidence is joined to it
  (a generated grid is underestimated and the big join then builds on the wrong side).
#}
{{ config(materialized='table') }}

select
    p.participant_id,
    p.person_id,
    s.follow_up_week,
    s.follow_up_year,
    cal.week_start,
    cal.month_start
from {{ ref('int_participants_classified') }} as p
inner join {{ ref('int_contract_weeks_spined') }} as s
    on s.contract_id = p.contract_id
inner join {{ ref('int_calendar_weeks') }} as cal
    on cal.week_start = {{ follow_up_week_monday('p.start_week_monday', 's.follow_up_week') }}
where p.excluded_reason is null

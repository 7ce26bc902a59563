{#
  The public participant-weeks: the compact intermediate table with the participant's keys, the
  trace to the person's benefit-register row and the calendar labels.
#}
{{ config(materialized="view") }}

select
    cast(p.contract_id as varchar) as contract_id,
    cast(p.person_key as varchar) as person_key,
    cast(w.follow_up_week as integer) as follow_up_week,
    cast(w.follow_up_year as integer) as follow_up_year,
    cast(cal.iso_week as varchar) as iso_week,
    cast(w.week_start as date) as week_start,
    cast(cal.month as varchar) as month,
    cast(w.benefit_code as bigint) as benefit_code,
    cast(w.benefit_group as varchar) as benefit_group,
    cast(w.employment_hours as decimal(18, 2)) as employment_hours,
    cast(w.covered as boolean) as covered,
    cast(w.status as varchar) as status,
    cast(w.cost_dkk as {{ money_type() }}) as cost_dkk,
    cast(p.benefit_file_sha256 as varchar) as source_file_sha256,
    cast(p.benefit_line as integer) as source_line,
    cast(w.gross_cost_dkk as {{ money_type() }}) as gross_cost_dkk,
    cast(w.municipal_cost_dkk as {{ money_type() }}) as municipal_cost_dkk,
    cast(w.municipal_share as decimal(20, 10)) as municipal_share,
    cast(w.ladder_week as integer) as ladder_week
from {{ ref('int_participant_weeks_classified') }} as w
inner join {{ ref('int_participants_classified') }} as p
    on p.participant_id = w.participant_id
inner join {{ ref('int_calendar_weeks') }} as cal
    on cal.week_start = w.week_start

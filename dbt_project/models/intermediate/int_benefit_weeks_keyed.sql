{#
  The benefit-register weeks of participants, keyed by the compact person_id, with the code's
  group from the code-table row valid on the week's Thursday (int_benefit_weeks_coded). Only
  participants' rows are kept (everyone else is unused), and their codes are all valid (a
  failing code excludes the person).
#}
{{ config(materialized='view') }}

with participant_persons as (
    select distinct person_id
    from {{ ref('int_participants_classified') }}
    where excluded_reason is null
)

select
    p.person_id,
    w.week_start,
    w.benefit_code,
    w.benefit_group
from {{ ref('int_benefit_weeks_coded') }} as w
inner join {{ ref('int_benefit_persons_checked') }} as p
    on p.person_key = w.person_key
inner join participant_persons as pp
    on pp.person_id = p.person_id

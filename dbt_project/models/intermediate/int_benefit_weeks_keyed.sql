{#
  The benefit-register weeks of participants, keyed by the compact person_id and with the code's
  group from the code-table row valid on the week's Thursday. Only participants' rows are kept (everyone else is unused), and
  their codes are all valid (a failing code excludes the person).
#}
{{ config(materialized='table') }}

with participant_persons as (
    select distinct person_id
    from {{ ref('int_participants_classified') }}
    where excluded_reason is null
)

select
    p.person_id,
    w.week_start,
    w.benefit_code,
    c.benefit_group
from {{ ref('stg_benefit_register__weeks') }} as w
inner join {{ ref('int_benefit_persons_checked') }} as p
    on p.person_key = w.person_key
inner join participant_persons as pp
    on pp.person_id = p.person_id
left join {{ ref('benefit_codes') }} as c
    on c.benefit_code = w.benefit_code
    and {{ add_days('w.week_start', 3) }} >= c.valid_from
    and (c.valid_to is null or {{ add_days('w.week_start', 3) }} <= c.valid_to)

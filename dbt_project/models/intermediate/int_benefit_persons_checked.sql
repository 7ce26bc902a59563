{#
  Each person of the selected benefit vintage, with the check of their row's codes against the
  benefit-code table of this run (int_benefit_weeks_coded: a code fails when no row of the table
  holds it on the week's Thursday). Any failing code anywhere in the person's row marks the row;
  the person is then excluded as missing_in_benefit_register.
  person_id is a compact integer key for the heavy week joins (internal; person_key is the
  identifier everywhere public).
#}
{{ config(materialized='table') }}

with per_person as (
    select
        person_key,
        sum(case when code_is_valid then 0 else 1 end) as invalid_code_weeks,
        min(case when not code_is_valid then week_start end) as first_invalid_week_start
    from {{ ref('int_benefit_weeks_coded') }}
    group by person_key
)

select
    cast(row_number() over (order by p.person_key) as integer) as person_id,
    p.person_key,
    p.file_sha256,
    p.line_number,
    cast(coalesce(pp.invalid_code_weeks, 0) as integer) as invalid_code_weeks,
    pp.first_invalid_week_start,
    coalesce(pp.invalid_code_weeks, 0) > 0 as has_invalid_code
from {{ ref('stg_benefit_register__persons') }} as p
left join per_person as pp
    on pp.person_key = p.person_key

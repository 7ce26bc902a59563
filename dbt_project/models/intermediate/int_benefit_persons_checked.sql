{#
  Each person of the selected benefit vintage, with the check of their row's codes against the
  benefit-code table of this run (extracts.md, "Checks against terms and reference data"):
  a code fails when no row of the table has that code with the week's Thursday within
  valid_from ... valid_to (both inclusive, empty valid_to = open). A code may appear in several
  rows with successive validity periods (as in an official code list); they may not overlap. Any failing code anywhere in
  the person's row marks the row; the person is then excluded as missing_in_benefit_register.
  person_id is a compact integer key for the heavy week joins (internal; person_key is the
  identifier everywhere public).
#}
{{ config(materialized='table') }}

with checked_weeks as (
    select
        w.person_key,
        w.week_start,
        case when c.benefit_code is null then 1 else 0 end as is_invalid
    from {{ ref('stg_benefit_register__weeks') }} as w
    left join {{ ref('benefit_codes') }} as c
        on c.benefit_code = w.benefit_code
        and {{ add_days('w.week_start', 3) }} >= c.valid_from
        and (c.valid_to is null or {{ add_days('w.week_start', 3) }} <= c.valid_to)
),

per_person as (
    select
        person_key,
        sum(is_invalid) as invalid_code_weeks,
        min(case when is_invalid = 1 then week_start end) as first_invalid_week_start
    from checked_weeks
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

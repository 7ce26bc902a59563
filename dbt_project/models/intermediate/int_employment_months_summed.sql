{#
  Employment hours per person-month of the selected income vintage (extracts.md §3): the exact
  sum of the allocated hours of the person's income_type 00 lines. Only person-months with some
  evidence appear here; a month inside the income coverage without a row has 0 hours.
  A person-month is not covered when the ingest lists it in income_uncovered_months (a
  quarantined line, or a negative type-00 sum: that rule is the ingest's, asserted by
  tests/negative_employment_months_are_listed_not_covered.sql).
  person_id is null for persons without a benefit row (they can be no participant).
#}
{{ config(materialized='table') }}

with hours as (
    select
        person_key,
        month_start,
        sum(hours) as employment_hours
    from {{ ref('stg_income_register__line_months') }}
    where income_type = '00'
    group by person_key, month_start
),

uncovered as (
    select distinct person_key, month_start
    from {{ ref('stg_income_register__uncovered_months') }}
),

person_months as (
    select
        coalesce(h.person_key, u.person_key) as person_key,
        coalesce(h.month_start, u.month_start) as month_start,
        h.employment_hours,
        u.person_key is not null as is_not_covered
    from hours as h
    full outer join uncovered as u
        on u.person_key = h.person_key and u.month_start = h.month_start
)

select
    p.person_id,
    m.person_key,
    m.month_start,
    cast(m.employment_hours as decimal(18, 2)) as employment_hours,
    m.is_not_covered
from person_months as m
left join {{ ref('int_benefit_persons_checked') }} as p
    on p.person_key = m.person_key

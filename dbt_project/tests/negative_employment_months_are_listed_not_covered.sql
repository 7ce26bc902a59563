-- Audit memo — a negative employment-hours month is never covered
-- Invariant: every person-month of the selected income vintage whose type-00 hours sum negative
--            is listed in income_uncovered_months (extracts.md §3: such a month is not covered).
-- Why here:  the rule is applied once, by the ingest, when it allocates a file's hours; the
--            models only read that list (int_employment_months_summed). This asserts the list is
--            complete, so a change on either side that lets a negative month through fails.
-- Nulls:     hours are never null (raw.income_line_months.hours is NOT NULL); a person-month
--            without type-00 lines has no sum and is not concerned.
with sums as (
    select person_key, month_start, sum(hours) as employment_hours
    from {{ ref('stg_income_register__line_months') }}
    where income_type = '00'
    group by person_key, month_start
)

select s.person_key, s.month_start, s.employment_hours
from sums as s
left join {{ ref('stg_income_register__uncovered_months') }} as u
    on u.person_key = s.person_key and u.month_start = s.month_start
where s.employment_hours < 0
    and u.person_key is null

-- Audit memo — employment hours trace back to income lines
-- Invariant: the employment hours of every covered person-month (the figure each of its
--            participant-weeks shows) equal the exact sum of allocated_hours of the bridge rows
--            with that person_key and month that count as employment.
-- Why here:  the trace lists the income lines behind a week; they must add up to the hours that
--            decided the week's status. Weeks take their month's hours by a plain join (unit
--            tested), so checking the person-months covers every participant-week cheaply.
-- Nulls:     not-covered person-months show null hours and have nothing to trace: skipped.
with bridge as (
    select person_key, month, sum(allocated_hours) as hours
    from {{ ref('bridge_income_month_lines') }}
    where counts_as_employment
    group by person_key, month
),

person_months as (
    select person_key, {{ month_label('month_start') }} as month, employment_hours
    from {{ ref('int_employment_months_summed') }}
    where not is_not_covered
)

select coalesce(pm.person_key, b.person_key) as person_key,
       coalesce(pm.month, b.month) as month,
       pm.employment_hours, b.hours
from person_months as pm
full outer join bridge as b
    on b.person_key = pm.person_key and b.month = pm.month
where (pm.person_key is null and b.hours is not null
       and not exists (select 1 from {{ ref('int_employment_months_summed') }} as u
                       where u.person_key = b.person_key and u.is_not_covered
                         and {{ month_label('u.month_start') }} = b.month))
   or (pm.person_key is not null and pm.employment_hours is distinct from coalesce(b.hours, 0))

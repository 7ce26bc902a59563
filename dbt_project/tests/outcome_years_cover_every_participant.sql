-- Audit memo — one row per participant and follow-up year
-- Invariant: fct_outcome_years has, for every participant, exactly the years 1 ... years of
--            its contract, and no row for an excluded referral.
-- Why here:  a participant-year that is missing would never be paid nor counted in a cohort
--            target; an extra one (an excluded referral) would be paid without a right.
-- Nulls:     not applicable (keys are tested not null).
with expected as (
    select p.contract_id, p.person_key, c.follow_up_years
    from {{ ref('dim_participants') }} as p
    inner join {{ ref('dim_contracts') }} as c
        on c.contract_id = p.contract_id
    where p.excluded_reason is null
),

actual as (
    select contract_id, person_key, count(*) as n_years,
           min(follow_up_year) as first_year, max(follow_up_year) as last_year
    from {{ ref('fct_outcome_years') }}
    group by contract_id, person_key
)

select coalesce(e.contract_id, a.contract_id) as contract_id,
       coalesce(e.person_key, a.person_key) as person_key,
       e.follow_up_years, a.n_years
from expected as e
full outer join actual as a
    on a.contract_id = e.contract_id and a.person_key = e.person_key
where e.contract_id is null
   or a.contract_id is null
   or not (a.n_years = e.follow_up_years and a.first_year = 1 and a.last_year = e.follow_up_years)

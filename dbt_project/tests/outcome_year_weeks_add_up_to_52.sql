-- Audit memo — weeks add up to 52
-- Invariant: in every follow-up year, weeks_self_supporting + weeks_partial
--            + weeks_public_support + weeks_not_covered = 52.
-- Why here:  every week of the year has exactly one status; a year with more or fewer weeks
--            would mean a week was lost or counted twice on the way from the weeks to the years,
--            and its outcome status (and any payment) would rest on the wrong weeks.
-- Nulls:     the four counts are never null (a null count fails this test).
select contract_id, person_key, follow_up_year,
       weeks_self_supporting, weeks_partial, weeks_public_support, weeks_not_covered
from {{ ref('fct_outcome_years') }}
where coalesce(weeks_self_supporting + weeks_partial + weeks_public_support + weeks_not_covered, -1) <> 52

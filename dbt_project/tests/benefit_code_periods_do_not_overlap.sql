-- Audit memo — one meaning per code and week
-- Invariant: the validity periods of one benefit code never overlap (valid_from <= valid_to,
--            and no two rows of a code share a day).
-- Why here:  a week's code is looked up by code and the week's Thursday; overlapping periods
--            would give a week two groups (and two costs), doubling it in every sum downstream.
--            A replaced code table (e.g. the official list, which reuses codes over time) is
--            checked by this test at every run.
-- Nulls:     an empty valid_to is open-ended (it overlaps every later period of the code).
with periods as (
    select benefit_code, valid_from, coalesce(valid_to, cast('9999-12-31' as date)) as valid_until
    from {{ ref('benefit_codes') }}
)
select a.benefit_code, a.valid_from, a.valid_until, b.valid_from as other_valid_from
from periods as a
inner join periods as b
    on a.benefit_code = b.benefit_code
    and a.valid_from < b.valid_from
    and b.valid_from <= a.valid_until
union all
select benefit_code, valid_from, valid_until, null
from periods
where valid_from > valid_until
union all
select benefit_code, valid_from, valid_until, null
from periods
group by benefit_code, valid_from, valid_until
having count(*) > 1

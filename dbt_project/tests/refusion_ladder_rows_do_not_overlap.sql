-- Audit memo — one municipal share per ladder week
-- Invariant: no two rows of the refusion ladder with the same financing share a ladder week
--            number and a day (their number ranges and their validity periods both overlap).
-- Why here:  a ladder week is valued by the row of its financing holding its number on its
--            Thursday (int_benefit_weeks_laddered); two such rows would give the week two shares
--            and double it in every sum downstream. A replaced file is checked at every run.
-- Nulls:     an empty last_week or valid_to is open-ended.
with steps as (
    select
        financing, first_week,
        coalesce(last_week, 2147483647) as last_week_or_open,
        valid_from,
        coalesce(valid_to, cast('9999-12-31' as date)) as valid_until,
        row_number() over (order by financing, first_week, valid_from) as step_id
    from {{ ref('refusion_ladder') }}
)
select a.financing, a.first_week, a.valid_from, b.first_week as other_first_week, b.valid_from as other_valid_from
from steps as a
inner join steps as b
    on a.financing = b.financing
    and a.step_id < b.step_id
    and a.first_week <= b.last_week_or_open and b.first_week <= a.last_week_or_open
    and a.valid_from <= b.valid_until and b.valid_from <= a.valid_until

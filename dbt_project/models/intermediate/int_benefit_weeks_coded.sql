{#
  Every week cell of the selected benefit vintage with the code-table row that is valid on the
  week's Thursday (extracts.md, "Checks against terms and reference data"): the row with the
  week's code and the Thursday within valid_from ... valid_to (both inclusive, empty valid_to =
  open). A code may appear in several rows with successive validity periods (as in an official
  code list); they may not overlap (tests/benefit_code_periods_do_not_overlap.sql), so a week
  matches at most one row. No match: the code fails (code_is_valid false, benefit_group null).
  The one place this rule is written: the person check and the participants' weeks both read it.
  A view: each reader runs the join as part of its own query.
#}
select
    w.person_key,
    w.week_start,
    w.benefit_code,
    c.benefit_group,
    c.benefit_code is not null as code_is_valid
from {{ ref('stg_benefit_register__weeks') }} as w
left join {{ ref('benefit_codes') }} as c
    on c.benefit_code = w.benefit_code
    and {{ add_days('w.week_start', 3) }} >= c.valid_from
    and (c.valid_to is null or {{ add_days('w.week_start', 3) }} <= c.valid_to)

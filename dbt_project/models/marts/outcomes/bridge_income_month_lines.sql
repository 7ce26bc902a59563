{#
  The income-register lines behind each person-month's employment hours: a participant-week's
  hours are the type-00 allocations of the rows with the same person_key and month. Kept per
  person-month (not per participant-week) so it stays small; join on (person_key, month).
#}
select
    cast(m.person_key as varchar) as person_key,
    cast({{ month_label('m.month_start') }} as varchar) as month,
    cast(m.file_sha256 as varchar) as source_file_sha256,
    cast(m.line_number as integer) as source_line,
    cast(m.income_type as varchar) as income_type,
    cast(m.income_type = '00' as boolean) as counts_as_employment,
    cast(m.hours as decimal(18, 2)) as allocated_hours
from {{ ref('stg_income_register__line_months') }} as m

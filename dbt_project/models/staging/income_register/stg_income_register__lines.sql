select
    cast(l.load_id as integer) as load_id,
    cast(l.file_sha256 as varchar) as file_sha256,
    cast(l.line_number as integer) as line_number,
    cast(l.person_key as varchar) as person_key,
    cast(l.se_nr as varchar) as se_nr,
    cast(l.period_start as date) as period_start,
    cast(l.period_end as date) as period_end,
    cast(l.income_type as varchar) as income_type,
    cast(l.a_income as {{ money_type() }}) as a_income,
    cast(l.hours as decimal(18, 2)) as hours,
    cast(l.correction as varchar) as correction
from {{ source('income_register', 'income_lines') }} as l
where l.load_id in {{ selected_load('income') }}

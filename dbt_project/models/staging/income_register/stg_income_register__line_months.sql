select
    cast(m.load_id as integer) as load_id,
    cast(m.file_sha256 as varchar) as file_sha256,
    cast(m.line_number as integer) as line_number,
    cast(m.person_key as varchar) as person_key,
    cast(m.income_type as varchar) as income_type,
    cast(m.month as date) as month_start,
    cast(m.hours as decimal(18, 2)) as hours
from {{ source('income_register', 'income_line_months') }} as m
where m.load_id in {{ selected_load('income') }}

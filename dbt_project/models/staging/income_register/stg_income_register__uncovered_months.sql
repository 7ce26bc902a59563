select
    cast(u.load_id as integer) as load_id,
    cast(u.person_key as varchar) as person_key,
    cast(u.month as date) as month_start,
    cast(u.reason as varchar) as reason
from {{ source('income_register', 'income_uncovered_months') }} as u
where u.load_id in {{ selected_load('income') }}

select
    cast(w.load_id as integer) as load_id,
    cast(w.file_sha256 as varchar) as file_sha256,
    cast(w.line_number as integer) as line_number,
    cast(w.person_key as varchar) as person_key,
    cast(w.week_start as date) as week_start,
    cast(w.benefit_code as bigint) as benefit_code
from {{ source('benefit_register', 'benefit_weeks') }} as w
where w.load_id in {{ selected_load('benefits') }}

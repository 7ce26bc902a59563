select
    cast(p.load_id as integer) as load_id,
    cast(p.file_sha256 as varchar) as file_sha256,
    cast(p.line_number as integer) as line_number,
    cast(p.person_key as varchar) as person_key
from {{ source('benefit_register', 'benefit_persons') }} as p
where p.load_id in {{ selected_load('benefits') }}

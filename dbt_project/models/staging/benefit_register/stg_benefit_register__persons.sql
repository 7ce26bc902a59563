with selected as (
    select load_id from {{ ref('stg_selected_vintages__vintages') }} where source = 'benefits'
)

select
    cast(p.load_id as integer) as load_id,
    cast(p.file_sha256 as varchar) as file_sha256,
    cast(p.line_number as integer) as line_number,
    cast(p.person_key as varchar) as person_key
from {{ source('benefit_register', 'benefit_persons') }} as p
inner join selected as s on p.load_id = s.load_id

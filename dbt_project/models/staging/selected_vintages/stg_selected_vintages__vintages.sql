select
    cast(run_month as varchar) as run_month,
    cast(source as varchar) as source,
    cast(load_id as integer) as load_id,
    cast(file_name as varchar) as file_name,
    cast(file_sha256 as varchar) as file_sha256,
    cast(vintage as date) as vintage,
    cast(coverage_start as date) as coverage_start,
    cast(coverage_end as date) as coverage_end
from {{ source('selected_vintages', 'selected_vintages') }}
where run_month = {{ run_month() }}

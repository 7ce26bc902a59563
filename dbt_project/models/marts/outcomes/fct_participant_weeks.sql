select
    cast(contract_id as varchar) as contract_id,
    cast(person_key as varchar) as person_key,
    cast(follow_up_week as integer) as follow_up_week,
    cast(follow_up_year as integer) as follow_up_year,
    cast({{ iso_week_label('week_start') }} as varchar) as iso_week,
    cast(week_start as date) as week_start,
    cast({{ month_label('month_start') }} as varchar) as month,
    cast(benefit_code as bigint) as benefit_code,
    cast(benefit_group as varchar) as benefit_group,
    cast(employment_hours as decimal(18, 2)) as employment_hours,
    cast(covered as boolean) as covered,
    cast(status as varchar) as status,
    cast(cost_dkk as {{ money_type() }}) as cost_dkk,
    cast(benefit_file_sha256 as varchar) as source_file_sha256,
    cast(benefit_line as integer) as source_line
from {{ ref('int_participant_weeks_classified') }}

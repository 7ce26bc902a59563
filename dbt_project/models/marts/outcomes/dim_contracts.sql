select
    cast(contract_id as varchar) as contract_id,
    cast(contract_name as varchar) as name,
    cast(payer as varchar) as payer,
    cast(investor as varchar) as investor,
    cast(provider as varchar) as provider,
    cast(mechanism as varchar) as mechanism,
    cast(terms_sha256 as varchar) as terms_sha256,
    cast(terms_file as varchar) as terms_file,
    cast(follow_up_years as integer) as follow_up_years,
    cast(employment_hours_per_month is not null as boolean) as uses_employment_hours,
    cast(has_baseline as boolean) as has_baseline,
    cast(cohort_start_from as date) as cohort_start_from,
    cast(cohort_start_to as date) as cohort_start_to,
    cast(max_participants as integer) as max_participants,
    cast(terms_yaml as varchar) as terms_yaml,
    cast(valuation_basis as varchar) as valuation_basis
from {{ ref('stg_contract_terms__contracts') }}

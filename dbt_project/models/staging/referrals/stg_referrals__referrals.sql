select
    cast(r.load_id as integer) as load_id,
    cast(r.file_sha256 as varchar) as file_sha256,
    cast(r.line_number as integer) as line_number,
    cast(r.contract_id as varchar) as contract_id,
    cast(r.person_key as varchar) as person_key,
    cast(r.referral_date as date) as referral_date,
    cast(r.start_date as date) as start_date
from {{ source('referrals', 'referrals') }} as r
where r.load_id in {{ selected_load('referrals') }}

{#
  Referral rows of the selected vintage naming a contract without a terms file. They are
  ignored by every outcome (extracts.md) and listed here so the run can report them.
#}
select
    r.contract_id,
    r.person_key,
    r.file_sha256,
    r.line_number
from {{ ref('stg_referrals__referrals') }} as r
left join {{ ref('stg_contract_terms__contracts') }} as c
    on c.contract_id = r.contract_id
where c.contract_id is null

{#
  Every (contract_id, person_key) of the selected referral vintage whose contract has terms,
  with its exclusion reason — the first that holds, in the order of outcomes.md:
    1. not_started                  start_date is empty
    2. outside_cohort_window        start_date outside cohort.start_from ... start_to (inclusive)
    3. over_cohort_cap              position > max_participants, positions taken over the started,
                                    in-window referrals (also those excluded by 4) in
                                    (start_date, person_key) order
    4. missing_in_benefit_register  no loaded row in the benefit vintage, or a row with a code
                                    that fails the code table (int_benefit_persons_checked)
  A null reason makes the referral a participant.
  participant_id (per contract and person) and person_id (per person of the benefit vintage) are
  compact integer keys for the heavy week tables; they are internal and change from run to run.
#}
{{ config(materialized='table') }}

with referrals as (
    select
        r.contract_id,
        r.person_key,
        r.referral_date,
        r.start_date,
        r.file_sha256,
        r.line_number,
        c.cohort_start_from,
        c.cohort_start_to,
        c.max_participants,
        (
            r.start_date is not null
            and r.start_date >= c.cohort_start_from
            and r.start_date <= c.cohort_start_to
        ) as is_in_window
    from {{ ref('stg_referrals__referrals') }} as r
    inner join {{ ref('stg_contract_terms__contracts') }} as c
        on c.contract_id = r.contract_id
),

cohort as (
    select
        contract_id,
        person_key,
        row_number() over (
            partition by contract_id
            order by start_date, person_key
        ) as cohort_position
    from referrals
    where is_in_window
),

classified as (
    select
        r.contract_id,
        r.person_key,
        r.referral_date,
        r.start_date,
        r.file_sha256 as referral_file_sha256,
        r.line_number as referral_line,
        cast(co.cohort_position as integer) as cohort_position,
        b.person_id,
        b.file_sha256 as benefit_file_sha256,
        b.line_number as benefit_line,
        case
            when b.person_key is null then 'absent'
            when b.has_invalid_code then 'invalid_code'
        end as benefit_register_issue,
        case
            when r.start_date is null then 'not_started'
            when not r.is_in_window then 'outside_cohort_window'
            when r.max_participants is not null and co.cohort_position > r.max_participants
                then 'over_cohort_cap'
            when b.person_key is null or b.has_invalid_code then 'missing_in_benefit_register'
        end as excluded_reason
    from referrals as r
    left join cohort as co
        on co.contract_id = r.contract_id and co.person_key = r.person_key
    left join {{ ref('int_benefit_persons_checked') }} as b
        on b.person_key = r.person_key
)

select
    cast(row_number() over (order by contract_id, person_key) as integer) as participant_id,
    person_id,
    contract_id,
    person_key,
    referral_date,
    start_date,
    case when start_date is not null then {{ iso_week_monday('start_date') }} end as start_week_monday,
    cohort_position,
    excluded_reason,
    benefit_register_issue,
    referral_file_sha256,
    referral_line,
    benefit_file_sha256,
    benefit_line
from classified

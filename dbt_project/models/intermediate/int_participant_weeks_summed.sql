{#
  The participant-weeks summed once, at the grain every aggregate needs: participant x
  follow-up year (0 = pre-period) x benefit group x status, with the number of weeks and the sum
  of their cost. Baselines, year counts, year-group costs all read this small table instead of
  scanning the participant-weeks again. benefit_group is null for weeks the benefit vintage does
  not reach; the costs (in the contract's basis, gross, municipal) sum only covered weeks (null
  when none is covered).
#}
{{ config(materialized='table') }}

select
    participant_id,
    follow_up_year,
    benefit_group,
    status,
    cast(count(*) as integer) as weeks,
    sum(cost_dkk) as cost_dkk,
    sum(gross_cost_dkk) as gross_cost_dkk,
    sum(municipal_cost_dkk) as municipal_cost_dkk
from {{ ref('int_participant_weeks_classified') }}
group by participant_id, follow_up_year, benefit_group, status

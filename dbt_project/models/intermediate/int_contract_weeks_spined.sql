{#
  The week numbering of each contract, generated once: follow-up weeks -51 ... 0 (the pre-period,
  follow-up year 0) and 1 ... 52 x years (follow-up year k = weeks 52(k-1)+1 ... 52k).
  Participants join this small table on contract_id; no participant-level series is generated.
#}
{{ config(materialized='table') }}

with numbered as (
    select
        contract_id,
        {{ integer_series('-51', '52 * follow_up_years') }} as follow_up_week
    from {{ ref('stg_contract_terms__contracts') }}
)

select
    contract_id,
    cast(follow_up_week as integer) as follow_up_week,
    cast(
        case
            when follow_up_week <= 0 then 0
            else {{ int_div('follow_up_week - 1', '52') }} + 1
        end as integer
    ) as follow_up_year
from numbered

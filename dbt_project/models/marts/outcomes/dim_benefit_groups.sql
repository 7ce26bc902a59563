{#
  The benefit groups of the run's reference data (seed benefit_groups), as a public dimension:
  the municipal account savings are booked on, and how the group is financed.
#}
select
    cast(benefit_group as varchar) as benefit_group,
    cast(label as varchar) as label,
    cast(is_public_support as boolean) as is_public_support,
    cast(nullif(trim(account), '') as varchar) as account,
    cast(financing as varchar) as financing
from {{ ref('benefit_groups') }}

-- Audit memo — every rate-card outcome has the statuses it counts
-- Invariant: each rate-card outcome of the terms has at least one row in its status list
--            (streak: week statuses, default self_supporting; year_status: year statuses).
-- Why here:  the terms loader applies the default and writes the resolved list; the models read
--            that list as written (int_streak_outcomes_evaluated, int_rate_card_achievements_evaluated)
--            and apply no default of their own, so an outcome without statuses would silently
--            never be achieved.
-- Nulls:     none (ids are not null in the terms tables).
select o.contract_id, o.outcome_id, o.outcome_kind
from {{ ref('stg_contract_terms__rate_card_outcomes') }} as o
left join {{ ref('stg_contract_terms__outcome_statuses') }} as s
    on s.contract_id = o.contract_id and s.outcome_id = o.outcome_id
where s.outcome_id is null

{#
  Audit memo — expression_is_true
  Invariant: the boolean expression holds on every row (optionally only where `where_clause`).
  Why: small row-level identities next to the model they guard (e.g. cost only on covered weeks).
  Nulls: a row where the expression is null FAILS — write `coalesce` or `is null` explicitly
         when null is meant to pass.
#}
{% test expression_is_true(model, expression, where_clause=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where_clause %}
  and ({{ where_clause }})
{%- endif %}
{% endtest %}

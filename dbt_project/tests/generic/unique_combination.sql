{#
  Audit memo — unique_combination
  Invariant: no two rows share the given combination of columns (the model's grain).
  Why: dbt hub packages cannot be fetched here, so this replaces dbt_utils'
       unique_combination_of_columns.
  Nulls: a null in a key column counts as a value (rows equal on all columns, nulls included,
         are duplicates) — a grain with a null key part is still a grain.
#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#
  The load of the run's selected vintage of a source (`referrals`, `benefits`, `income`), as a
  one-column subquery: `where x.load_id in {{ selected_load('benefits') }}`. Every staging model
  of an extract keeps only that load's rows (stg_selected_vintages__vintages has one row per
  source, tested unique).
#}
{% macro selected_load(source_name) -%}
    (select load_id from {{ ref('stg_selected_vintages__vintages') }} where source = '{{ source_name }}')
{%- endmacro %}

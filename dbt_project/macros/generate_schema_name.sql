{#
  Custom schemas are used as they are written (`staging`, `intermediate`, `marts`, `reference`),
  not prefixed with the target schema: the warehouse's schemas are a public interface
  (docs/architecture.md). Without a custom schema, the target schema is used.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

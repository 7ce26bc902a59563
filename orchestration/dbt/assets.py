"""The dbt models (staging → intermediate → marts) as Dagster assets; dbt tests as asset checks."""


from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt.project import dbt_project
from orchestration.ingest.assets import ONE_MONTH_PER_RUN, WAREHOUSE_POOL
from orchestration.partitions import monthly_partitions


class OutcomeTranslator(DagsterDbtTranslator):
    """Groups assets by dbt layer. Each dbt source names, in its `meta.dagster.asset_key`, the
    raw table an ingest asset writes (`raw/<table>`), so lineage runs from the landing folder."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "outcomes"


translator = OutcomeTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, partitions_def=monthly_partitions,
            dagster_dbt_translator=translator, pool=WAREHOUSE_POOL,
            backfill_policy=ONE_MONTH_PER_RUN)
def outcome_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Seeds, models and their data tests for the run's month. The month reaches dbt through
    `raw.current_run` (written by `selected_vintages`), not a var, so dbt's partial parsing
    applies; the dbt unit tests check the SQL itself and run in the test suite, not every month."""
    yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()

"""The dbt models (staging → intermediate → marts) as Dagster assets; dbt tests as asset checks."""


from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets

from orchestration.dbt.project import dbt_for, dbt_project, dbt_target
from orchestration.faults import fault_point
from orchestration.policy import RUN_POLICY
from orchestration.resources import Warehouse
from orchestration.steps import report


class OutcomeTranslator(DagsterDbtTranslator):
    """Groups assets by dbt layer. Each dbt source names, in its `meta.dagster.asset_key`, the
    raw table an ingest asset writes (`raw/<table>`), so lineage runs from the landing folder."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "outcomes"


translator = OutcomeTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator,
            **RUN_POLICY)
def outcome_models(context: dg.AssetExecutionContext, warehouse: Warehouse):
    """Seeds, models and their data tests for the run's month. The month reaches dbt through
    `raw.current_run` (written by `selected_vintages`), not a var, so dbt's partial parsing
    applies; the dbt unit tests check the SQL itself and run in the test suite, not every month.
    dbt runs with the warehouse's own profile and target folder (`orchestration/dbt/project.py`)."""
    dbt = dbt_for(warehouse.state)
    invocation = dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context,
                         target_path=dbt_target(warehouse.state))
    models = checks = failed = 0
    for event in invocation.stream():
        if isinstance(event, (dg.Output, dg.MaterializeResult, dg.AssetMaterialization)):
            models += 1
            if models == 1:
                fault_point("inside:dbt")
        elif isinstance(event, (dg.AssetCheckResult, dg.AssetCheckEvaluation)):
            checks += 1
            failed += not event.passed
        yield event
    report(context, f"models built: {models} models and seeds, {checks - failed} of {checks} data tests passed")
    fault_point("after:dbt")

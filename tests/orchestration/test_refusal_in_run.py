"""A refusal inside a run launched from the UI (not caught before launch, as the command line and
the schedule do) ends the run without failing it: its planned dbt checks resolve as skipped, not
as failed executions, no partition is marked failed, and the refusal is recorded where the UI
shows it (an error in the event log, an observation, a run tag). docs/operations.md."""

from __future__ import annotations

import asyncio
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.loader import LoadingContextForTest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionResolvedStatus

from orchestration.definitions import defs
from orchestration.instance import warehouse_instance
from orchestration.policy import run_config
from orchestration.resources import resources_from
from orchestration.settings import RunState, Settings
from orchestration.steps import REFUSED_TAG, refusal_of

TERMS = Path(__file__).parents[2] / "contracts" / "examples"


def test_a_refused_ui_run_ends_without_failed_checks_or_partitions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "landing" / "referrals").mkdir(parents=True)
    monkeypatch.setenv("OUTCOME_LEDGER_TODAY", "2024-07-20")   # July has not ended: issuing it is refused
    settings = Settings.from_environment(landing=tmp_path / "landing", contracts=TERMS,
                                         warehouse=tmp_path / "w" / "w.duckdb")
    with warehouse_instance(RunState(settings.warehouse)) as instance:
        result = defs.resolve_job_def("monthly_run").execute_in_process(
            partition_key="2024-07", instance=instance, run_config=run_config(issue=True),
            resources=resources_from(settings), raise_on_error=False)

        assert result.success
        assert refusal_of(result.all_events).startswith("refused: 2024-07 has not ended")
        run = instance.get_run_by_id(result.run_id)
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert run.tags[REFUSED_TAG].startswith("refused: 2024-07 has not ended")
        types = {e.event_type for e in result.all_events}
        assert dg.DagsterEventType.STEP_FAILURE not in types
        assert dg.DagsterEventType.ASSET_FAILED_TO_MATERIALIZE not in types
        assert dg.DagsterEventType.ASSET_MATERIALIZATION not in types
        assert any(e.event_type == dg.DagsterEventType.STEP_SKIPPED and e.step_key == "outcome_models"
                   for e in result.all_events)

        # Every check the run planned (the dbt tests, the extract validations) reads as skipped.
        checks = [key for node in defs.resolve_asset_graph().asset_nodes for key in node.check_keys]
        statuses = set()
        for key in checks:
            records = instance.event_log_storage.get_asset_check_execution_history(key, limit=1)
            statuses |= {asyncio.run(r.resolve_status(LoadingContextForTest(instance))) for r in records}
        assert statuses == {AssetCheckExecutionResolvedStatus.SKIPPED}
    assert not settings.warehouse.exists()   # nothing written

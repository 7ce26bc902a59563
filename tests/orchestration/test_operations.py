"""Monthly operations: the schedule issues, the new-extract sensor loads and previews, the
analysts' read-only copy."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs
from orchestration.operations.schedules import monthly_schedule
from orchestration.operations.sensors import new_extract_sensor
from orchestration.publish import analyst_copy_path, publish_analyst_copy
from orchestration.resources import LedgerFolders, RunMode, Warehouse
from synthetic import SyntheticConfig, generate_extracts

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
TERMS = Path(__file__).parents[2] / "contracts" / "examples"


def _folders(landing: Path, warehouse: Path) -> LedgerFolders:
    return LedgerFolders(landing=str(landing), contracts=str(TERMS), warehouse=str(warehouse))


def _schedule(moment: datetime, folders: LedgerFolders):
    return monthly_schedule(dg.build_schedule_context(scheduled_execution_time=moment, resources={"folders": folders}))


def _tick(folders: LedgerFolders, cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def(),
                                      resources={"folders": folders})
    result = new_extract_sensor.evaluate_tick(context)
    return result, result.cursor


def _execute(request: dg.RunRequest, folders: LedgerFolders) -> dg.ExecuteInProcessResult:
    """Run the request as the daemon would: its partition, its run config, its tags."""
    job = defs.resolve_job_def("monthly_run")
    return job.execute_in_process(
        partition_key=request.partition_key, run_config=request.run_config, tags=request.tags,
        instance=dg.DagsterInstance.ephemeral(),
        resources={"warehouse": Warehouse(path=folders.warehouse), "folders": folders, "run_mode": RunMode()})


def _count(warehouse: Path, sql: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()[0][0]


def test_schedule_asks_for_the_previous_month_on_the_fifth_at_six(tmp_path: Path) -> None:
    (tmp_path / "landing" / "benefits").mkdir(parents=True)
    folders = _folders(tmp_path / "landing", tmp_path / "w" / "w.duckdb")
    assert monthly_schedule.cron_schedule == "0 6 5 * *"
    assert monthly_schedule.execution_timezone == "Europe/Copenhagen"
    for moment, month in ((datetime(2024, 3, 5, 6, tzinfo=COPENHAGEN), "2024-02"),
                          (datetime(2025, 1, 5, 6, tzinfo=COPENHAGEN), "2024-12")):
        request = _schedule(moment, folders)
        assert request.partition_key == month
        assert request.run_config == {"resources": {"run_mode": {"config": {"issue": True}}}}


def test_a_refused_schedule_tick_is_a_skip_with_the_refusal_not_a_run(tmp_path: Path) -> None:
    folders = _folders(tmp_path / "no-landing", tmp_path / "w" / "w.duckdb")
    result = _schedule(datetime(2024, 3, 5, 6, tzinfo=COPENHAGEN), folders)
    assert isinstance(result, dg.SkipReason)
    assert "2024-02 not run" in result.skip_message and "no-landing does not exist" in result.skip_message
    assert not (tmp_path / "w").exists()                         # nothing written


@pytest.mark.integration
def test_the_schedule_issues_and_the_sensor_loads_new_files_once_and_only_previews(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w" / "w.duckdb"
    generate_extracts(landing, SyntheticConfig(participants=30, seed=11), vintages=[date(2024, 6, 30)])
    folders = _folders(landing, warehouse)

    # The schedule's run on 5 July issues June.
    request = _schedule(datetime(2024, 7, 5, 6, tzinfo=COPENHAGEN), folders)
    assert request.partition_key == "2024-06"
    assert _execute(request, folders).success
    issued = _count(warehouse, "SELECT count(*) FROM payments.statements WHERE month = '2024-06'")
    assert issued == 3

    # Turned on over the loaded folder, the sensor asks for nothing.
    result, cursor = _tick(folders, None)
    assert not result.run_requests and "already loaded" in result.skip_message

    # July's extracts land beside June's: one ingest-and-preview run, for July, never issuing.
    generate_extracts(landing, SyntheticConfig(participants=30, seed=11), vintages=[date(2024, 7, 31)])
    result, cursor = _tick(folders, cursor)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    assert request.partition_key == "2024-07"
    assert request.run_config == {"resources": {"run_mode": {"config": {"issue": False}}}}
    assert set(request.tags["outcome-ledger/extracts"].split(", ")) == {
        "dream_2024W30.csv", "eindkomst_2024-07.csv", "referrals_2024-07-31.csv"}
    run = _execute(request, folders)
    assert run.success
    assert _count(warehouse, "SELECT count(*) FROM payments.statements") == issued          # nothing issued
    assert _count(warehouse, "SELECT count(*) FROM audit.loads WHERE status = 'loaded'") == 6   # July loaded
    assert _count(warehouse, "SELECT count(*) FROM preview.statements WHERE month = '2024-07'") == 3
    materialized = {e.asset_key.to_user_string() for e in run.get_asset_materialization_events()}
    assert "payments/statements" not in materialized and "analyst_copy" not in materialized
    observed = [e for e in run.all_events if e.event_type == dg.DagsterEventType.ASSET_OBSERVATION]
    assert any("statements" in e.asset_observation_data.asset_observation.metadata for e in observed)

    # The next tick sees nothing new; re-landing identical bytes starts nothing either.
    assert not _tick(folders, cursor)[0].run_requests
    july = landing / "benefits" / "dream_2024W30.csv"
    july.write_bytes(july.read_bytes())
    assert not _tick(folders, cursor)[0].run_requests
    assert set(json.loads(cursor)) >= {"dream_2024W26.csv", "dream_2024W30.csv"}


def test_the_sensor_previews_the_month_after_the_last_issued_one_for_a_late_correction(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w" / "w.duckdb"
    (landing / "benefits").mkdir(parents=True)
    (landing / "benefits" / "dream_2024W13.csv").write_text("pnr;y_2413\n0101904000;701\n")
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA payments; CREATE TABLE payments.statements (statement_id VARCHAR, month VARCHAR)")
        con.execute("INSERT INTO payments.statements VALUES ('c:2024-05', '2024-05')")
    result, _ = _tick(_folders(landing, warehouse), None)
    assert [(r.partition_key, r.run_config["resources"]["run_mode"]["config"]["issue"])
            for r in result.run_requests] == [("2024-06", False)]


def test_a_second_process_reads_the_analyst_copy_while_a_run_writes(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.fct_outcome_years AS SELECT range AS n FROM range(1000)")
        con.execute("CREATE SCHEMA raw; CREATE TABLE raw.internal AS SELECT 1 AS x")
        published = publish_analyst_copy(con, warehouse)
    target = published.path
    assert target == analyst_copy_path(warehouse) and published.tables == 1
    reader = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
              "print(con.execute('SELECT count(*) FROM marts.fct_outcome_years').fetchall()[0][0])")
    with duckdb.connect(str(warehouse)) as writer:                # the run holds the warehouse
        writer.execute("BEGIN TRANSACTION")
        writer.execute("INSERT INTO marts.fct_outcome_years SELECT range FROM range(10)")
        done = subprocess.run([sys.executable, "-c", reader, str(target)], capture_output=True, text=True)
        blocked = subprocess.run([sys.executable, "-c", reader, str(warehouse)], capture_output=True, text=True)
        writer.execute("COMMIT")
        publish_analyst_copy(writer, warehouse)                   # republish while nobody reads
    assert done.returncode == 0 and done.stdout.strip() == "1000"
    assert blocked.returncode != 0                                 # why the copy exists
    again = subprocess.run([sys.executable, "-c", reader, str(target)], capture_output=True, text=True)
    assert again.stdout.strip() == "1010"

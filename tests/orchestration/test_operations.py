"""Monthly operations: the schedule, the new-extract sensor, the analysts' read-only copy."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from orchestration.operations.schedules import monthly_schedule
from orchestration.operations.sensors import new_extract_sensor
from orchestration.publish import analyst_copy_path, publish_analyst_copy
from orchestration.resources import LedgerFolders

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def test_schedule_runs_the_previous_month_on_the_fifth_at_six() -> None:
    assert monthly_schedule.cron_schedule == "0 6 5 * *"
    assert monthly_schedule.execution_timezone == "Europe/Copenhagen"
    for moment, month in ((datetime(2024, 3, 5, 6, tzinfo=COPENHAGEN), "2024-02"),
                          (datetime(2025, 1, 5, 6, tzinfo=COPENHAGEN), "2024-12")):
        request = monthly_schedule(dg.build_schedule_context(scheduled_execution_time=moment))
        assert request.partition_key == month


def _tick(landing: Path, cursor: str | None):
    from orchestration.definitions import defs
    context = dg.build_sensor_context(cursor=cursor, repository_def=defs.get_repository_def(), resources={
        "folders": LedgerFolders(landing=str(landing), contracts=str(landing))})
    result = new_extract_sensor.evaluate_tick(context)
    return result.run_requests, result.cursor


def test_sensor_starts_one_run_per_new_file_and_none_for_a_relanded_identical_file(tmp_path: Path) -> None:
    (tmp_path / "benefits").mkdir()
    (tmp_path / "income").mkdir()
    (tmp_path / "benefits" / "dream_2024W13.csv").write_text("pnr;y_2413\n0101904000;701\n")
    requests, cursor = _tick(tmp_path, None)
    assert [(r.partition_key, r.run_key.split(":")[0]) for r in requests] == [("2024-03", "dream_2024W13.csv")]

    assert _tick(tmp_path, cursor)[0] == []                      # nothing new
    (tmp_path / "benefits" / "dream_2024W13.csv").write_text("pnr;y_2413\n0101904000;701\n")
    assert _tick(tmp_path, cursor)[0] == []                      # re-landed, identical bytes

    (tmp_path / "income" / "eindkomst_2024-04.csv").write_text("cpr\n")
    requests, cursor = _tick(tmp_path, cursor)
    assert [r.partition_key for r in requests] == ["2024-04"]
    assert set(json.loads(cursor)) == {"dream_2024W13.csv", "eindkomst_2024-04.csv"}


def test_a_second_process_reads_the_analyst_copy_while_a_run_writes(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.fct_outcome_years AS SELECT range AS n FROM range(1000)")
        con.execute("CREATE SCHEMA raw; CREATE TABLE raw.internal AS SELECT 1 AS x")
        target, count = publish_analyst_copy(con, warehouse)
    assert target == analyst_copy_path(warehouse) and count == 1
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

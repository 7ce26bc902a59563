"""One run at a time per warehouse, and a dead run's claim is never waited for."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from orchestration import claim
from orchestration.instance import record_dead_runs, warehouse_instance
from orchestration.policy import HOST_TAG, PID_TAG
from orchestration.settings import RunState

HOLD = ("import sys, time; from pathlib import Path; from orchestration import claim; "
        "claim.acquire(Path(sys.argv[1]), what='a test run'); print('held', flush=True); time.sleep(600)")


def _holder(lock: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_claim_held_by_a_live_run_is_waited_for_and_a_killed_runs_claim_is_free_at_once(tmp_path: Path) -> None:
    lock = RunState(tmp_path / "w.duckdb").lock
    holder = _holder(lock)
    try:
        assert not claim.acquire(lock, what="the test", wait=False)
        assert f"a test run (pid {holder.pid} on {socket.gethostname()}" in claim.holder(lock)
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    started = time.monotonic()
    with claim.claimed(lock, what="the test"):
        assert time.monotonic() - started < 1
        with claim.claimed(lock, what="the same process again"):   # re-entrant in one process
            pass
        assert not _other_process_gets(lock)
    assert _other_process_gets(lock)


def _other_process_gets(lock: Path) -> bool:
    probe = ("import sys; from pathlib import Path; from orchestration import claim; "
             "print(claim.acquire(Path(sys.argv[1]), what='probe', wait=False))")
    return subprocess.run([sys.executable, "-c", probe, str(lock)], capture_output=True, text=True
                          ).stdout.strip() == "True"


def test_a_command_line_run_whose_process_died_is_recorded_as_failed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    state = RunState(tmp_path / "w.duckdb")
    with warehouse_instance(state) as instance:
        host = socket.gethostname()
        killed = instance.create_run_for_job(dg.GraphDefinition("g").to_job(), tags={
            PID_TAG: dead.stdout.strip(), HOST_TAG: host})
        alive = instance.create_run_for_job(dg.GraphDefinition("g").to_job(), tags={
            PID_TAG: str(os.getpid()), HOST_TAG: host})
        for run in (killed, alive):
            instance.handle_new_event(_started(run))
        assert record_dead_runs(instance) == [killed.run_id]
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
        # No telemetry, and no newsletter prompt over the ledger's UI.
        assert not instance.telemetry_enabled and not instance.nux_enabled


def _started(run):
    from dagster._core.events import DagsterEvent, DagsterEventType
    from dagster._core.events.log import EventLogEntry

    event = DagsterEvent(DagsterEventType.RUN_START.value, job_name=run.job_name)
    return EventLogEntry(error_info=None, level=20, user_message="", run_id=run.run_id, timestamp=time.time(),
                         dagster_event=event)

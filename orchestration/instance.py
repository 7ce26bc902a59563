"""The Dagster instance of a warehouse: `<warehouse folder>/dagster/` (docs/operations.md).

Every warehouse records its runs in its own instance, so the UI of a warehouse shows its runs
only, and the test suite's and scratch warehouses' runs stay with them. `make dev` starts the UI
on the instance of the warehouse it shows. The instance's `dagster.yaml` is written here.

A run started from the command line carries its process id as a tag. A run killed with `kill -9`
cannot record its end; the next run of the warehouse (holding the warehouse's lock, so no other
run of it is alive) records such a run as failed, so the history stays true. (Runs started from
the UI are watched by the daemon's run monitoring, turned on in the `dagster.yaml`.)

    python -m orchestration.instance     prints the instance folder of the configured warehouse
                                         (writing its dagster.yaml); `make dev` uses it
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg
from dagster._core.instance.ref import InstanceRef

from orchestration.policy import HOST_TAG, PID_TAG
from orchestration.settings import RunState, Settings, write_if_changed

DAGSTER_YAML = """\
# The Dagster instance of one outcome-ledger warehouse, written by outcome-ledger
# (orchestration/instance.py, docs/operations.md). No concurrency pool: a run holds the
# warehouse's file lock instead, which the kernel releases when the run's process dies.
telemetry:
  enabled: false
# No "join the community" prompt over the UI of a ledger.
nux:
  enabled: false
# The daemon (started by `dagster dev`) records a run whose process died as failed.
run_monitoring:
  enabled: true
  poll_interval_seconds: 30
# Ticks are purged so a long-running installation stays bounded (the sensor ticks every 5 min);
# runs, the history of what was issued, are kept.
retention:
  sensor:
    purge_after_days: {skipped: 7, failure: 30, success: 90}
  schedule:
    purge_after_days: 365
"""

UNFINISHED = (dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED)


def instance_home(state: RunState) -> Path:
    """The instance folder of the warehouse, with its dagster.yaml (written when missing or stale)."""
    home = state.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    write_if_changed(home / "dagster.yaml", DAGSTER_YAML)
    return home


def warehouse_instance(state: RunState) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(instance_home(state))))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def record_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Record as failed every unfinished command-line run of this host whose process is gone.
    Call with the warehouse claimed. Returns the run ids."""
    host = socket.gethostname()
    dead = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=list(UNFINISHED))):
        pid = run.tags.get(PID_TAG)
        if run.tags.get(HOST_TAG) != host or not (pid or "").isdigit():
            continue
        if int(pid) == os.getpid() or _alive(int(pid)):
            continue
        instance.report_run_failed(run, message=(
            f"The process running this run (pid {pid}) ended without finishing it — killed or crashed. "
            f"Nothing it issued is partial: the next run of the month redoes it."))
        dead.append(run.run_id)
    return dead


if __name__ == "__main__":
    print(instance_home(Settings.from_environment().state))

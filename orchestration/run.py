"""`outcome-ledger run`: one month through the Dagster job, in this process, with its progress
printed as it goes and its refusals turned into one message.

The command line claims the warehouse (`orchestration/claim.py`) before it starts the job, so the
checks it makes first (`orchestration/guard.py`) still hold when the job's own guard repeats them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from orchestration import claim
from orchestration.errors import LedgerError
from orchestration.guard import refuse_on_warehouse
from orchestration.settings import RunState, Settings

LOG_LIMIT = 5 * 1024 * 1024   # a month's run log is rotated (one old copy kept) past this size
#: Dagster's executor warns on this Python logger, not the run's, when steps are skipped after a
#: refusal ("Blocking asset check … emitted no result …"): a quiet run keeps that in the run log.
EXECUTOR_LOGGER = "dagster._core.execution.plan.active"


class RunFailed(RuntimeError):
    """A step failed on something that is not a refusal: a bug. Carries the step's traceback."""


def step_log_path(state: RunState, month: str) -> Path:
    """Where a quiet run keeps dbt's output: beside the warehouse, one file per month (rotated)."""
    state.logs.mkdir(parents=True, exist_ok=True)
    path = state.logs / f"run-{month}.log"
    if path.exists() and path.stat().st_size > LOG_LIMIT:
        os.replace(path, path.with_name(path.name + ".1"))
    return path


class _Progress(logging.Handler):
    """Prints the steps' progress lines (`orchestration.steps.report`) with the time since start."""

    def __init__(self, stream) -> None:
        super().__init__(logging.INFO)
        self.stream, self.started = stream, time.monotonic()

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(f"  [{time.monotonic() - self.started:5.0f} s] {record.getMessage()}\n")
        self.stream.flush()


def run_month(settings: Settings, month: str, *, issue: bool, verbose: bool = False) -> None:
    """Run `monthly_run` for `month` (issue or preview) and print what it did."""
    from orchestration.summary import print_load_summary, print_run_summary

    started = datetime.now(timezone.utc).replace(tzinfo=None)

    def waiting(who: str) -> None:
        print(f"  waiting: {who} is using this warehouse …", flush=True)

    with claim.claimed(settings.state.lock, what=f"outcome-ledger run --month {month}", on_wait=waiting):
        refuse_on_warehouse(settings, month, may_create_key=True)
        try:
            execute_monthly_run(settings, month, issue=issue, verbose=verbose)
        except LedgerError:
            print_load_summary(settings, since=started)   # what was loaded or rejected before the refusal
            raise
    print_run_summary(settings, month, since=started, issue=issue)


def execute_monthly_run(settings: Settings, month: str, *, issue: bool, verbose: bool = False):
    """Execute the job in this process; a refusal raises `LedgerError`, a bug `RunFailed`."""
    progress = _Progress(sys.stdout)
    logger = logging.getLogger("outcome_ledger.progress")
    logger.addHandler(progress)
    logger.setLevel(logging.INFO)
    os.environ.setdefault("DBT_USE_COLORS", "false")   # plain text in the run log
    try:
        if verbose:
            return _execute(settings, month, issue=issue, verbose=True)
        with step_log_path(settings.state, month).open("a", encoding="utf-8") as log, \
                contextlib.redirect_stdout(log), _logged_into(log, EXECUTOR_LOGGER):
            print(f"===== monthly_run {month} ({'issue' if issue else 'preview'}) started "
                  f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC =====")
            return _execute(settings, month, issue=issue, verbose=False)
    finally:
        logger.removeHandler(progress)


@contextlib.contextmanager
def _logged_into(stream, name: str):
    """Send a library's Python logger to `stream` (the run log) instead of the console."""
    target = logging.getLogger(name)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    propagate = target.propagate
    target.addHandler(handler)
    target.propagate = False
    try:
        yield
    finally:
        target.removeHandler(handler)
        target.propagate = propagate


def _execute(settings: Settings, month: str, *, issue: bool, verbose: bool):
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.instance import record_dead_runs, warehouse_instance
    from orchestration.policy import HOST_TAG, MODE_TAG, PID_TAG, monthly_partitions, run_config
    from orchestration.resources import resources_from
    from orchestration.steps import refusal_of

    if not monthly_partitions.has_partition_key(month):
        first = monthly_partitions.get_first_partition_key()
        raise LedgerError(f"no monthly partition {month}: months run from {first} to the current month")
    job = defs.resolve_job_def("monthly_run")
    config = {**run_config(issue=issue),
              "loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}
    tags = {MODE_TAG: "issue" if issue else "preview", PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    with warehouse_instance(settings.state) as instance:
        record_dead_runs(instance)
        # Resources from the settings in force now (the command's options), not from the
        # environment when the definitions were first imported in this process.
        result = job.execute_in_process(partition_key=month, instance=instance, run_config=config,
                                        resources=resources_from(settings, may_create_key=True),
                                        tags=tags, raise_on_error=False)
    if result.success:
        refused = refusal_of(result.all_events)   # a refusal before the models: the run ended, not failed
        if refused is not None:
            raise LedgerError(refused)
        return result
    failure = next((e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE), None)
    data = failure.step_failure_data if failure is not None else None
    user = data.user_failure_data if data is not None else None
    if user is not None and user.description:
        if "refusal" in (user.metadata or {}):
            raise LedgerError(user.description)
        # A dg.Failure of a library (dbt: a model or a data test failed): the data needs a look.
        raise LedgerError(f"step {failure.step_key} failed: {user.description.splitlines()[0]} "
                          f"(dbt's output is in {step_log_path(settings.state, month)})")
    error = data.error.to_string() if data is not None and data.error else "the run failed without a step failure"
    raise RunFailed(f"monthly_run {month} failed in step {failure.step_key if failure else '?'} "
                    f"(a bug: please report it with this text):\n{error}")

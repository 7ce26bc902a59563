"""Executing the monthly job in this process, turning step failures into one clear message."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from contracts.payments import StatementRefused
from contracts.terms import TermsError
from orchestration.cli import CommandError
from orchestration.ingest.pseudonym import KeyMismatch
from orchestration.ingest.vintages import RunRefused
from orchestration.resources import resources_from
from orchestration.settings import REPOSITORY_ROOT, Settings

#: Errors whose message is written for the user: shown as they are, without a traceback
#: (`StatementNotReproducible` is a `StatementRefused`; `ValueError` covers settings and inputs).
_USER_ERRORS = (RunRefused, TermsError, KeyMismatch, StatementRefused, ValueError)


def _instance() -> dg.DagsterInstance:
    """The Dagster instance of DAGSTER_HOME; by default the repository's `.dagster_home` (so runs
    from the command line show in `dagster dev`), else a throwaway one."""
    if not os.environ.get("DAGSTER_HOME") and (REPOSITORY_ROOT / ".dagster_home" / "dagster.yaml").exists():
        os.environ["DAGSTER_HOME"] = str(REPOSITORY_ROOT / ".dagster_home")
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def step_log_path(month: str) -> Path:
    """Where a quiet run keeps dbt's output: next to the warehouse, one file per month."""
    folder = Path(os.environ["OUTCOME_LEDGER_WAREHOUSE"]).parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"run-{month}.log"


def execute_monthly_run(month: str, *, verbose: bool = False) -> dg.ExecuteInProcessResult:
    """Run `monthly_run` for `month`; unless verbose, dbt's output goes to `step_log_path`."""
    os.environ.setdefault("DBT_USE_COLORS", "false")   # plain text in the run log
    if verbose:
        return _execute(month, verbose=True)
    with step_log_path(month).open("a", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        print(f"===== monthly_run {month} started {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC =====")
        return _execute(month, verbose=False)


def _execute(month: str, *, verbose: bool) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs
    from orchestration.partitions import monthly_partitions

    job = defs.resolve_job_def("monthly_run")
    with _instance() as instance:
        if not monthly_partitions.has_partition_key(month):
            first = monthly_partitions.get_first_partition_key()
            raise CommandError(f"no monthly partition {month}: months run from {first} to the current month")
        config = {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}
        try:
            # Resources from the settings in force now (the command's options), not from the
            # environment when the definitions were first imported in this process.
            resources = {**resources_from(Settings.from_environment()), "dbt": defs.resources["dbt"]}
            return job.execute_in_process(partition_key=month, instance=instance, run_config=config,
                                          resources=resources)
        except Exception as failure:  # the step's own exception is re-raised by the in-process executor
            error = getattr(failure, "user_exception", None) or failure
            if isinstance(error, _USER_ERRORS):
                raise CommandError(str(error)) from None
            raise

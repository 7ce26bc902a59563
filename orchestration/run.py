"""Executing the monthly job in this process, turning step failures into one clear message."""

from __future__ import annotations

import os

import dagster as dg

from orchestration.cli import CommandError

#: Errors whose message is written for the user: shown as they are, without a traceback.
_USER_ERRORS = ("RunRefused", "TermsError", "KeyMismatch", "StatementRefused", "ValueError")


def _instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def execute_monthly_run(month: str, *, verbose: bool = False) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs
    from orchestration.partitions import monthly_partitions

    job = defs.resolve_job_def("monthly_run")
    with _instance() as instance:
        if not monthly_partitions.has_partition_key(month):
            first = monthly_partitions.get_first_partition_key()
            raise CommandError(f"no monthly partition {month}: months run from {first} to the current month")
        config = {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "WARNING"}}}}
        try:
            return job.execute_in_process(partition_key=month, instance=instance, run_config=config)
        except dg.DagsterExecutionStepExecutionError as failure:
            error = failure.user_exception
            if type(error).__name__ in _USER_ERRORS:
                raise CommandError(str(error)) from None
            raise

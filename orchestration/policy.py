"""How the monthly job runs, shared by every asset of it.

- One partition per statement month (`YYYY-MM`), from 2020-01 to the current month.
- One month per run, in order: each statement builds on the previous one (`ONE_MONTH_PER_RUN`).
- One run at a time per warehouse: DuckDB admits one writing process per file. The run holds the
  warehouse's lock (`orchestration/claim.py`, an OS file lock the kernel releases when the
  process dies) from its first step to its last, so a killed run never leaves a claim to wait
  for. There is no Dagster concurrency pool: its slots live in the instance's database and a
  killed run's slot stayed taken (docs/operations.md, "Why a file lock and not a pool").
- The steps run one after another in one process (`in_process_executor`): no re-import per step.
- Whether a run issues or only previews is the `run_mode` resource, set in the run's config.
"""

import dagster as dg

monthly_partitions = dg.MonthlyPartitionsDefinition(start_date="2020-01", fmt="%Y-%m", end_offset=1)

ONE_MONTH_PER_RUN = dg.BackfillPolicy.multi_run(1)

#: Keyword arguments every asset of the monthly job takes.
RUN_POLICY = {"partitions_def": monthly_partitions, "backfill_policy": ONE_MONTH_PER_RUN}

EXECUTOR = dg.in_process_executor

#: The job's first step (`orchestration/operations/month_guard.py`): every loading step depends on
#: it, so nothing is read or written before the run is allowed.
MONTH_GUARD = dg.AssetKey(["operations", "month_guard"])

#: Run tags the product sets: the mode, and the process of a command-line run (so a run whose
#: process was killed can be recorded as failed by the next run).
MODE_TAG = "outcome-ledger/mode"
PID_TAG = "outcome-ledger/pid"
HOST_TAG = "outcome-ledger/host"


def run_config(*, issue: bool) -> dict:
    """The run config choosing issue or preview (the schedule, the sensor and the CLI use it)."""
    return {"resources": {"run_mode": {"config": {"issue": issue}}}}

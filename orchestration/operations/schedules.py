"""The monthly schedule: 06:00 Copenhagen time on the 5th, issuing the previous month.

Only the schedule and `outcome-ledger run` issue statements. Before requesting the run, the
schedule applies the guard's checks it can (`orchestration/guard.py`): a refusal is recorded as a
skipped tick with the refusal's message, not as a failed run. The run's first step checks again.
"""

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import dagster as dg

from orchestration import claim
from orchestration.clock import COPENHAGEN, previous_month
from orchestration.errors import LedgerError
from orchestration.guard import refuse_before_reading, refuse_on_warehouse
from orchestration.jobs import monthly_run
from orchestration.policy import MODE_TAG, run_config
from orchestration.resources import LedgerFolders
from orchestration.settings import RunState


def scheduled_month(moment: datetime) -> str:
    return previous_month(moment.astimezone(COPENHAGEN).date())


@dg.schedule(job=monthly_run, cron_schedule="0 6 5 * *", execution_timezone="Europe/Copenhagen",
             description="Issues the previous month's statements on the 5th at 06:00 Copenhagen time, "
                         "when the month's extracts have landed.")
def monthly_schedule(context: dg.ScheduleEvaluationContext, folders: LedgerFolders):
    moment = context.scheduled_execution_time
    month = scheduled_month(moment)
    settings = replace(folders.settings(), today=moment.astimezone(COPENHAGEN).date())
    try:
        refuse_before_reading(settings, month, issue=True)
        with claim.claimed_if_free(RunState(Path(folders.warehouse)).lock, what="the monthly schedule") as free:
            if free:   # else a run holds the warehouse: the run's own first step checks it
                refuse_on_warehouse(settings, month, may_create_key=False)
    except LedgerError as refusal:
        return dg.SkipReason(f"{month} not run: {refusal}")
    return dg.RunRequest(run_key=f"schedule:{month}", partition_key=month,
                         run_config=run_config(issue=True), tags={MODE_TAG: "issue"})

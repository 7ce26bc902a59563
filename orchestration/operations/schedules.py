"""The monthly schedule: 06:00 Copenhagen time on the 5th, for the previous month."""

from datetime import datetime

import dagster as dg

from orchestration.jobs import monthly_run


def previous_month(moment: datetime) -> str:
    year, month = (moment.year, moment.month - 1) if moment.month > 1 else (moment.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@dg.schedule(job=monthly_run, cron_schedule="0 6 5 * *", execution_timezone="Europe/Copenhagen",
             description="Runs the previous month on the 5th at 06:00 Copenhagen time, when the "
                         "month's extracts have landed.")
def monthly_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    month = previous_month(context.scheduled_execution_time)
    return dg.RunRequest(run_key=f"schedule:{month}", partition_key=month)

"""The first step of the monthly run: may this run issue (or preview) its month?

Its checks are `orchestration/guard.py`; a refusal ends the run here, before any other step has
written anything, without failing it (`orchestration.steps.refusal`). Its materialisation records what the run was
allowed to do: issue or preview, and the day it ran ("today" in Copenhagen).
"""

import dagster as dg

from orchestration.faults import fault_point
from orchestration.guard import refuse_before_reading, refuse_on_warehouse
from orchestration.policy import MONTH_GUARD, RUN_POLICY
from orchestration.resources import LedgerFolders, RunMode, Warehouse
from orchestration.errors import user_errors
from orchestration.steps import refusal, report


@dg.asset(key=MONTH_GUARD, group_name="operations", **RUN_POLICY, output_required=False,
          description="Decides whether the run may issue its month (the month has ended, no later "
                      "month is issued) or preview it, and refuses unusable folders, settings or keys "
                      "before anything is written.")
def month_guard(context: dg.AssetExecutionContext, warehouse: Warehouse, folders: LedgerFolders,
                run_mode: RunMode):
    fault_point("before:guard")
    month = context.partition_key
    try:
        settings = folders.settings()
        refuse_before_reading(settings, month, issue=run_mode.issue)
        refuse_on_warehouse(settings, month, may_create_key=folders.may_create_key)
    except user_errors() as error:
        yield refusal(context, MONTH_GUARD, error)
        return
    mode = "issue" if run_mode.issue else "preview"
    report(context, f"{mode} {month} allowed (today {settings.today.isoformat()} in Copenhagen)")
    fault_point("after:guard")
    yield dg.MaterializeResult(metadata={
        "mode": dg.MetadataValue.text(mode),
        "today": dg.MetadataValue.text(settings.today.isoformat()),
        "warehouse": dg.MetadataValue.path(warehouse.path),
    })

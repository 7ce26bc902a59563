"""The monthly run: ingest → terms → vintages → dbt → statements, in one process.

The in-process executor runs the steps one after another in the same process: it avoids a
re-import per step and serialises access to the single DuckDB writer.
"""

import dagster as dg


monthly_run = dg.define_asset_job(
    name="monthly_run",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Loads new extracts, builds participant-weeks and outcome-years, issues the month's statements.",
)

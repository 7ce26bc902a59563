"""The monthly run: guard → ingest → terms → vintages → dbt → statements → analysts' copy.

The steps run one after another in one process (`orchestration/policy.py`). Whether the run
issues or previews is its `run_mode` resource config; the default is a preview, so a run launched
by hand from the UI issues nothing unless `issue: true` is set.
"""

import dagster as dg

from orchestration.policy import EXECUTOR

monthly_run = dg.define_asset_job(
    name="monthly_run",
    selection=dg.AssetSelection.all(),
    executor_def=EXECUTOR,
    description="Loads new extracts, builds participant-weeks and outcome-years, and previews the month's "
                "statements — or issues them with run config resources.run_mode.config.issue: true.",
)

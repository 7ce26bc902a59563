"""The Dagster code location of outcome-ledger: assets, checks, jobs, schedules, sensors, resources.

Importing it reads the settings (`orchestration/settings.py`) and changes nothing: no environment
variable is set, no folder or key is created. The one file it may write is dbt's manifest in
`dbt_project/target/`, which dagster-dbt needs to define the dbt assets.
"""

import dagster as dg

from orchestration.dbt.project import ensure_manifest
from orchestration.ingest.assets import ingest_assets
from orchestration.jobs import monthly_run
from orchestration.operations.month_guard import month_guard
from orchestration.resources import resources_from
from orchestration.settings import Settings

settings = Settings.from_environment()
ensure_manifest()

from orchestration.dbt.assets import outcome_models  # noqa: E402  (needs the manifest)
from orchestration.operations.schedules import monthly_schedule  # noqa: E402
from orchestration.operations.sensors import new_extract_sensor  # noqa: E402
from orchestration.payments.assets import payment_statements  # noqa: E402
from orchestration.publish import analyst_copy  # noqa: E402

defs = dg.Definitions(
    assets=[month_guard, *ingest_assets, outcome_models, payment_statements, analyst_copy],
    schedules=[monthly_schedule],
    sensors=[new_extract_sensor],
    jobs=[monthly_run],
    resources=resources_from(settings),
)

"""The Dagster code location of outcome-ledger: assets, checks, jobs, schedules, sensors, resources."""

import dagster as dg

from orchestration.dbt.project import dbt_resource, ensure_manifest
from orchestration.ingest.assets import ingest_assets
from orchestration.jobs import monthly_run
from orchestration.resources import resources_from
from orchestration.settings import Settings

settings = Settings.from_environment()
settings.export()
ensure_manifest()

from orchestration.dbt.assets import outcome_models  # noqa: E402  (needs the manifest)
from orchestration.operations.schedules import monthly_schedule  # noqa: E402
from orchestration.operations.sensors import new_extract_sensor  # noqa: E402
from orchestration.payments.assets import payment_statements  # noqa: E402
from orchestration.publish import analyst_copy  # noqa: E402

defs = dg.Definitions(
    assets=[*ingest_assets, outcome_models, payment_statements, analyst_copy],
    schedules=[monthly_schedule],
    sensors=[new_extract_sensor],
    jobs=[monthly_run],
    resources={**resources_from(settings), "dbt": dbt_resource()},
)

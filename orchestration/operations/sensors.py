"""A sensor that starts a monthly run when a new extract lands.

The cursor is the JSON map file name → SHA-256 of every extract already acted on, so a file
re-landed with identical bytes starts nothing; the run key `<file>:<sha256>` guards against a
double run for the same file even if the cursor were lost. The run is for the month of the file's
as-of date (its vintage month).
"""

import json

import dagster as dg

from orchestration.ingest.landing import SOURCES, landed_files
from orchestration.jobs import monthly_run
from orchestration.resources import LedgerFolders


@dg.sensor(job=monthly_run, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Starts monthly_run for a newly landed extract's month (one run per new file).")
def new_extract_sensor(context: dg.SensorEvaluationContext, folders: LedgerFolders):
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    requests = []
    for source in SOURCES:
        for file in landed_files(folders.landing_path, source):
            if file.vintage is None:
                continue
            sha = file.sha256()
            if seen.get(file.name) == sha:
                continue
            seen[file.name] = sha
            month = f"{file.vintage.year:04d}-{file.vintage.month:02d}"
            requests.append(dg.RunRequest(run_key=f"{file.name}:{sha}", partition_key=month,
                                          tags={"outcome-ledger/extract": file.name}))
    context.update_cursor(json.dumps(seen, sort_keys=True))
    if not requests:
        return dg.SkipReason("no new extract in the landing folder")
    return requests

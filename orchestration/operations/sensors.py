"""The sensor that notices new extracts: it loads them and previews, it never issues.

A tick looks for landed files not acted on before — neither in the cursor (file name → SHA-256
of every file already seen) nor recorded in the warehouse's `audit.loads` with the same bytes —
and requests one ingest-and-preview run for all of them (one run per batch of new files). Turned
on over a landing folder whose files are all loaded, it requests nothing.

The preview's month is the as-of month of the newest new file, but never one that already has
statements or precedes one (a correction to an issued month goes into the next statement): then
it is the month after the last issued one.
"""

import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration import claim
from orchestration.clock import month_of, next_month
from orchestration.guard import latest_issued_month
from orchestration.ingest.landing import SOURCES, landed_files
from orchestration.jobs import monthly_run
from orchestration.policy import MODE_TAG, monthly_partitions, run_config
from orchestration.resources import LedgerFolders, open_warehouse
from orchestration.settings import RunState


def _recorded(warehouse: Path) -> set[tuple[str, str]]:
    """(file name, SHA-256) of every file the warehouse has recorded a load of."""
    if not warehouse.exists():
        return set()
    with open_warehouse(warehouse, read_only=True) as con:
        has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'audit' "
                          "AND table_name = 'loads'").fetchall()[0][0]
        return set(con.execute("SELECT file_name, file_sha256 FROM audit.loads").fetchall()) if has else set()


@dg.sensor(job=monthly_run, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Loads newly landed extracts and previews the month they belong to (one run per "
                       "batch of new files); never issues a statement.")
def new_extract_sensor(context: dg.SensorEvaluationContext, folders: LedgerFolders):
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    landed = [f for source in SOURCES for f in landed_files(folders.landing_path, source) if f.vintage]
    candidates = {f.name: (f, f.sha256()) for f in landed if seen.get(f.name) != f.sha256()}
    if not candidates:
        return dg.SkipReason("no new extract in the landing folder")
    warehouse = Path(folders.warehouse)
    with claim.claimed_if_free(RunState(warehouse).lock, what="the new-extract sensor") as free:
        if not free:
            return dg.SkipReason("a run is using the warehouse; the new files are looked at again next tick")
        recorded = _recorded(warehouse)
        last_issued = latest_issued_month(warehouse)
    new = {name: (f, sha) for name, (f, sha) in candidates.items() if (name, sha) not in recorded}
    seen.update({name: sha for name, (_, sha) in candidates.items()})
    context.update_cursor(json.dumps(seen, sort_keys=True))
    if not new:
        return dg.SkipReason(f"{len(candidates)} landed file(s) are already loaded; nothing new")
    month = max(month_of(f.vintage) for f, _ in new.values())
    if last_issued is not None and month <= last_issued:
        month = next_month(last_issued)
    month = min(month, monthly_partitions.get_last_partition_key())
    batch = sorted(f"{name}:{sha}" for name, (_, sha) in new.items())
    names = sorted(new)
    return dg.RunRequest(
        run_key="extracts:" + hashlib.sha256("\n".join(batch).encode()).hexdigest()[:16],
        partition_key=month, run_config=run_config(issue=False),
        tags={MODE_TAG: "preview", "outcome-ledger/extracts": ", ".join(names)[:200]})

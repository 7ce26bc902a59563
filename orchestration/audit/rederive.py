"""A scratch warehouse in which statements are computed again (`outcome-ledger verify`, docs/verify.md).

The scratch warehouse is a fresh DuckDB file in a temporary folder, built by the product's own
code: the ingest (`ingest_source`), the terms loader, the vintage selection, the dbt project's
`dbt build` (the command the monthly run's dbt step runs) and the payment engine
(`issue_statements`). What it is given is only what the statements recorded: copies of the landed
files they name (a scratch landing folder holding nothing else, so the vintage selection can only
choose them), their stored terms copies (a scratch terms folder) and their stored reference copies
(the seeds of a scratch copy of the dbt project, and the reference folder the terms loader and the
engine read). The contracts' earlier statements are copied in by the caller before `issue`.

Nothing here opens the real warehouse, its Dagster instance or its landing folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.errors import LedgerError
from orchestration.ingest.pseudonym import PseudonymKey
from orchestration.settings import DBT_PROJECT_DIR, RunState

#: The parts of the dbt project a build reads (target/ and logs/ are the installation's own).
DBT_PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "tests", "seeds")
#: The scratch ingest rejects no file for its share of quarantined lines: every file a statement
#: recorded was loaded by its run, under whatever threshold was in force then.
NO_REJECTION = Decimal(1)
OUTPUT_SHOWN = 25   # lines of dbt's output quoted when the scratch build fails


class RederiveFailed(LedgerError):
    """The scratch warehouse could not be built from the recorded inputs; the message says where."""


@dataclass(frozen=True)
class RecordedFiles:
    """What one run recorded and the scratch warehouse is built from."""

    month: str
    landed: dict[str, Path]        # source → the landed file (already checked against its SHA-256)
    landed_sha256: dict[str, str]  # source → the SHA-256 the statements recorded
    terms: dict[str, str]          # terms file name → the stored copy's text
    reference: dict[str, str]      # reference file name → the stored copy's text
    product_version: str           # recorded on the statements (compared inputs of a later month)


class ScratchWarehouse:
    """A temporary warehouse under `folder`: landing/, contracts/, dbt_project/, warehouse/."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.landing = folder / "landing"
        self.contracts = folder / "contracts"
        self.project = folder / "dbt_project"
        self.warehouse = folder / "warehouse" / "scratch.duckdb"

    @property
    def reference(self) -> Path:
        """The stored reference copies: dbt's seeds and the reference folder of terms and engine."""
        return self.project / "seeds"

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse))

    def lay_out(self, recorded: RecordedFiles) -> None:
        """Write the scratch folders: copies of the landed files, terms and reference copies, and
        the dbt project with the reference copies as its seeds."""
        for source, path in recorded.landed.items():
            (self.landing / source).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.landing / source / path.name)
        self.contracts.mkdir(parents=True, exist_ok=True)
        for name, text in recorded.terms.items():
            (self.contracts / name).write_bytes(text.encode("utf-8"))
        self.project.mkdir(parents=True, exist_ok=True)
        for part in DBT_PROJECT_PARTS:
            source = DBT_PROJECT_DIR / part
            if source.is_dir():
                shutil.copytree(source, self.project / part)
            elif source.exists():
                shutil.copyfile(source, self.project / part)
        for stale in self.reference.glob("*.csv"):   # the installation's seeds: replaced by the copies
            stale.unlink()
        for name, text in recorded.reference.items():
            (self.reference / name).write_bytes(text.encode("utf-8"))
        self.warehouse.parent.mkdir(parents=True, exist_ok=True)

    def load(self, recorded: RecordedFiles, key: PseudonymKey) -> None:
        """Ingest the landed copies, load the terms and select the month's vintages — the ingest
        steps of the monthly run, in its order. Every recorded file must load and be selected."""
        from contracts.terms import load_terms_folder, write_terms_tables
        from orchestration.ingest.landing import SOURCES
        from orchestration.ingest.loader import ingest_source
        from orchestration.ingest.vintages import select_vintages

        with self.connect() as con:
            for source in SOURCES:
                summary = ingest_source(con, source, self.landing, key, NO_REJECTION)
                for outcome in summary.outcomes:
                    if outcome.status != "loaded":
                        raise RederiveFailed(f"the {source} file {outcome.file_name} does not load in the scratch "
                                             f"warehouse ({outcome.status}): {outcome.message}")
            contracts = load_terms_folder(self.contracts, self.reference)
            write_terms_tables(con, contracts)
            needed = ("referrals", "benefits") + (("income",) if any(c.uses_employment_hours for c in contracts)
                                                  else ())
            chosen = select_vintages(con, recorded.month, self.landing, needed)
        names = {source: (v.file_name, v.file_sha256) for source, v in chosen.items()}
        expected = {source: (path.name, recorded.landed_sha256[source]) for source, path in recorded.landed.items()}
        if names != expected:   # the copies loaded are the recorded bytes, and the only ones selected
            raise RederiveFailed(f"the scratch run of {recorded.month} selected {names}, not the recorded {expected}")

    def build(self) -> None:
        """`dbt build` of the scratch project on the scratch warehouse (as the run's dbt step)."""
        from orchestration.dbt.project import DBT_CHILD, warehouse_profile

        state = RunState(self.warehouse)
        profiles = warehouse_profile(state)
        log = self.folder / "dbt.log"
        command = [DBT_CHILD, "build", "--exclude-resource-type", "unit_test",
                   "--project-dir", str(self.project), "--profiles-dir", str(profiles),
                   "--target-path", str(state.dbt_dir / "target"), "--log-path", str(state.logs)]
        environment = {**os.environ, "DBT_USE_COLORS": "false"}
        with log.open("w", encoding="utf-8") as output:
            result = subprocess.run(command, cwd=self.folder, env=environment, stdout=output,
                                    stderr=subprocess.STDOUT, check=False)
        if result.returncode != 0:
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-OUTPUT_SHOWN:]
            raise RederiveFailed("dbt build failed in the scratch warehouse:\n  " + "\n  ".join(tail))

    def issue(self, recorded: RecordedFiles, issued_at: datetime) -> None:
        """The payment engine for the month, on the scratch marts and the copied earlier statements.
        The recorded product version is recorded again, so a line's explanation of what changed
        since the previous statement reads as it did."""
        from contracts.payments import RunInputs, issue_statements

        with self.connect() as con:
            inputs = RunInputs.from_warehouse(con, month=recorded.month, reference_dir=self.reference,
                                              product_version=recorded.product_version)
            issue_statements(con, month=recorded.month, inputs=inputs, issued_at=issued_at)

"""Resources: the warehouse (one DuckDB file, one run at a time), the product's folders, and
whether the run issues or previews."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import Field

from orchestration import claim
from orchestration.clock import today
from orchestration.errors import WarehouseInUse
from orchestration.settings import REFERENCE_DIR, RunState, Settings


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file. The run holds the warehouse's lock while it executes
    (`orchestration/claim.py`); connections are opened briefly, per step, never at import."""

    path: str

    @property
    def state(self) -> RunState:
        return RunState(Path(self.path))

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["Warehouse"]:
        run = context.run
        what = f"Dagster run {run.run_id[:8]} of {run.job_name}" if run else "a Dagster step"

        def waiting(who: str) -> None:
            if context.log is not None:
                context.log.info(f"waiting for the warehouse: {who} is using it")

        with claim.claimed(self.state.lock, what=what, on_wait=waiting):
            yield self

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with open_warehouse(Path(self.path)) as con:
            yield con


@contextmanager
def open_warehouse(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the DuckDB file; another program holding it open is a clear refusal."""
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        raise WarehouseInUse(
            f"the warehouse {path} is open in another program ({str(error).splitlines()[0]}); "
            f"close it there and run again (analysts read {path.stem}.analyst.duckdb instead)") from None
    with con:
        yield con


class LedgerFolders(dg.ConfigurableResource):
    """The landing folder, the contract-terms folder, the warehouse file and the ingest threshold."""

    landing: str
    contracts: str
    warehouse: str
    quarantine_threshold: str = "0.05"
    may_create_key: bool = Field(
        default=False,
        description="Create a pseudonym key file on a new warehouse's first load when none is set. "
                    "Only the command line does (and says so); a run started from the UI never does.")

    @property
    def landing_path(self) -> Path:
        return Path(self.landing)

    @property
    def contracts_path(self) -> Path:
        return Path(self.contracts)

    @property
    def reference_path(self) -> Path:
        return REFERENCE_DIR

    @property
    def threshold(self) -> Decimal:
        return Decimal(self.quarantine_threshold)

    def settings(self) -> Settings:
        return Settings(landing=self.landing_path, contracts=self.contracts_path, warehouse=Path(self.warehouse),
                        quarantine_threshold=self.threshold, today=today())


class RunMode(dg.ConfigurableResource):
    """Whether this run issues the month's statements or only previews them."""

    issue: bool = Field(
        default=False,
        description="true: issue the month's statements (the month must have ended); false (the "
                    "default): a preview — load, build and compute, print what would be issued, "
                    "issue nothing. The schedule and `outcome-ledger run` set true.")


def resources_from(settings: Settings, *, may_create_key: bool = False) -> dict[str, dg.ConfigurableResource]:
    return {
        "warehouse": Warehouse(path=str(settings.warehouse)),
        "folders": LedgerFolders(landing=str(settings.landing), contracts=str(settings.contracts),
                                 warehouse=str(settings.warehouse),
                                 quarantine_threshold=str(settings.quarantine_threshold),
                                 may_create_key=may_create_key),
        "run_mode": RunMode(),
    }

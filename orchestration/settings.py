"""Where things are: landing folder, terms folder, warehouse file, reference data, run state.

Each setting comes from its command-line option, else its environment variable (spec:
warehouse.md, "Commands"), else a default relative to the working directory. Reading them changes
nothing: no variable is written back and no folder is created here. Paths are made absolute once,
so the Dagster resources and dbt (whose profile is written per warehouse, `orchestration/dbt/`)
see the same file.

Beside the warehouse file live the state of its runs (`RunState`): the Dagster instance that
records them, dbt's working folder, the run logs and the lock that admits one run at a time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from orchestration.clock import today as clock_today
from orchestration.errors import FolderRefused, SettingRefused

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
#: Reference data lives once, as dbt seeds; replace a file there to change it.
REFERENCE_DIR = DBT_PROJECT_DIR / "seeds"
SOURCE_FOLDERS = ("referrals", "benefits", "income")

LANDING_ENV = "OUTCOME_LEDGER_LANDING"
CONTRACTS_ENV = "OUTCOME_LEDGER_CONTRACTS"
WAREHOUSE_ENV = "OUTCOME_LEDGER_WAREHOUSE"
THRESHOLD_ENV = "OUTCOME_LEDGER_QUARANTINE_THRESHOLD"

DEFAULTS = {LANDING_ENV: "landing", CONTRACTS_ENV: "contracts/terms",
            WAREHOUSE_ENV: "warehouse/outcome_ledger.duckdb"}
DEFAULT_THRESHOLD = Decimal("0.05")


def parse_threshold(value: str) -> Decimal:
    """A share of a file's data lines: a decimal fraction (`0.05`) or a percentage (`5%`)."""
    text = value.strip()
    percent = text.endswith("%")
    try:
        share = Decimal(text[:-1].strip() if percent else text)
    except InvalidOperation:
        share = None
    if share is None or not share.is_finite():
        raise SettingRefused(
            f"{THRESHOLD_ENV}={value!r} is not a share of a file's lines: write a fraction such as "
            f"0.05 or a percentage such as 5%")
    share = share / 100 if percent else share
    if not Decimal(0) <= share <= Decimal(1):
        raise SettingRefused(f"{THRESHOLD_ENV}={value!r} must lie between 0 and 1 (0% and 100%)")
    return share


def write_if_changed(path: Path, text: str) -> None:
    """Write `text` to `path` unless it holds it already; atomically, so that a process reading
    the file (a run of the same warehouse, `dagster dev`) never sees it half written."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        staging = path.with_name(path.name + ".tmp")
        staging.write_text(text, encoding="utf-8")
        os.replace(staging, path)


@dataclass(frozen=True)
class RunState:
    """The folders and files beside a warehouse that belong to its runs."""

    warehouse: Path

    @property
    def folder(self) -> Path:
        return self.warehouse.parent

    @property
    def dagster_home(self) -> Path:
        """The warehouse's own Dagster instance: its UI shows this warehouse's runs only."""
        return self.folder / "dagster"

    @property
    def dbt_dir(self) -> Path:
        """dbt's profile for this warehouse and its one target folder, reused by every run."""
        return self.folder / "dbt"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def lock(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")


@dataclass(frozen=True)
class Settings:
    landing: Path
    contracts: Path
    warehouse: Path
    quarantine_threshold: Decimal
    today: date

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, *, landing: Path | None = None,
                         contracts: Path | None = None, warehouse: Path | None = None) -> "Settings":
        """Options given here win over the environment; nothing is written anywhere."""
        environ = os.environ if environ is None else environ

        def path(option: Path | None, env: str) -> Path:
            value = str(option) if option is not None else (environ.get(env) or DEFAULTS[env])
            return Path(value).expanduser().resolve()

        raw_threshold = environ.get(THRESHOLD_ENV)
        return cls(
            landing=path(landing, LANDING_ENV),
            contracts=path(contracts, CONTRACTS_ENV),
            warehouse=path(warehouse, WAREHOUSE_ENV),
            quarantine_threshold=DEFAULT_THRESHOLD if raw_threshold is None else parse_threshold(raw_threshold),
            today=clock_today(environ),
        )

    @property
    def state(self) -> RunState:
        return RunState(self.warehouse)

    def refuse_bad_folders(self) -> None:
        """Refuse, before anything is written, folders a run cannot use (spec: warehouse.md,
        "Running a month"): a landing or terms folder that is missing or unreadable, a landing
        folder without any of `referrals/`, `benefits/`, `income/`, a warehouse that is not a
        file or whose folder cannot be written."""
        _readable_folder(self.landing, "landing folder", LANDING_ENV, "--landing")
        present = [name for name in SOURCE_FOLDERS if (self.landing / name).is_dir()]
        if not present:
            raise FolderRefused(
                f"the landing folder {self.landing} has none of the source folders "
                f"{', '.join(f'{n}/' for n in SOURCE_FOLDERS)}: is it the right folder? "
                f"(--landing or {LANDING_ENV})")
        for name in present:
            _readable_folder(self.landing / name, f"landing folder {name}/", LANDING_ENV, "--landing")
        _readable_folder(self.contracts, "contract-terms folder", CONTRACTS_ENV, "--contracts")
        if self.warehouse.exists() and not self.warehouse.is_file():
            raise FolderRefused(f"the warehouse {self.warehouse} is not a file (--warehouse or {WAREHOUSE_ENV})")
        folder = next((p for p in (self.warehouse.parent, *self.warehouse.parents) if p.exists()), None)
        if folder is None or not os.access(folder, os.W_OK | os.X_OK):
            raise FolderRefused(
                f"cannot write the warehouse's folder {self.warehouse.parent} (--warehouse or {WAREHOUSE_ENV})")


def _readable_folder(path: Path, what: str, env: str, option: str) -> None:
    if not path.exists():
        raise FolderRefused(f"the {what} {path} does not exist ({option} or {env})")
    if not path.is_dir():
        raise FolderRefused(f"the {what} {path} is not a folder ({option} or {env})")
    if not os.access(path, os.R_OK | os.X_OK):
        raise FolderRefused(f"the {what} {path} cannot be read (permissions) ({option} or {env})")

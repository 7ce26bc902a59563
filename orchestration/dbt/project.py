"""The dbt project as Dagster sees it; dbt's profile and working folder per warehouse.

- The manifest Dagster reads at import is `dbt_project/target/manifest.json` (a build artefact,
  not in git): `dagster dev` prepares it itself (`prepare_if_dev`), the command line, tests and CI
  call `ensure_manifest()` first, which runs `dbt parse` only when a project file is newer.
- A run does not touch the source tree: dbt runs with a profile written beside the warehouse
  (`<warehouse folder>/dbt/profiles.yml`, the project's profile with the warehouse's absolute
  path in place of `env_var('OUTCOME_LEDGER_WAREHOUSE')`), and one target folder there
  (`<warehouse folder>/dbt/target/`) that every run of that warehouse reuses, so nothing
  accumulates. No environment variable of the running process is set for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, RunState, write_if_changed

BIN = Path(sys.executable).parent
#: dbt next to the running interpreter, so `.venv/bin/python -m …` works without an activated venv.
DBT_EXECUTABLE = str(BIN / "dbt")
#: dbt as a run starts it: killed with the run's process (`orchestration/dbt/child.py`).
DBT_CHILD = str(BIN / "outcome-ledger-dbt")
PROJECT_PROFILE = DBT_PROJECT_DIR / "profiles.yml"
WAREHOUSE_IN_PROFILE = f"env_var('{WAREHOUSE_ENV}')"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class VenvDbtCli(DbtCliResource):
    """dbt from this environment. dagster-dbt learns the dbt version by running `dbt --version`
    in a subprocess at every run (about 4 s of imports, and a look-up of the latest release on
    the network); the dbt here is always the dbt-core installed beside us, so ask the package."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))


def warehouse_profile(state: RunState) -> Path:
    """Write (or refresh) the warehouse's dbt profile; return its folder."""
    template = PROJECT_PROFILE.read_text(encoding="utf-8")
    if WAREHOUSE_IN_PROFILE not in template:
        raise RuntimeError(f"{PROJECT_PROFILE} no longer reads the warehouse from {WAREHOUSE_IN_PROFILE}")
    literal = "'" + str(state.warehouse).replace("\\", "\\\\").replace("'", "\\'") + "'"
    profile = template.replace(WAREHOUSE_IN_PROFILE, literal)
    folder = state.dbt_dir
    folder.mkdir(parents=True, exist_ok=True)
    write_if_changed(folder / "profiles.yml", profile)
    return folder


def dbt_for(state: RunState) -> VenvDbtCli:
    """The dbt command line for a run of this warehouse."""
    return VenvDbtCli(project_dir=dbt_project, profiles_dir=str(warehouse_profile(state)), dbt_executable=DBT_CHILD)


def dbt_target(state: RunState) -> Path:
    return state.dbt_dir / "target"


def _newest_source_file() -> float:
    newest = 0.0
    for folder in ("models", "macros", "seeds", "tests"):
        for path in (DBT_PROJECT_DIR / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    for name in ("dbt_project.yml", "profiles.yml"):
        newest = max(newest, (DBT_PROJECT_DIR / name).stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than any file of the project."""
    manifest = Path(dbt_project.manifest_path)
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_file():
        return manifest
    # Parsing opens no database; the profile only needs a path to render.
    env = {**os.environ, WAREHOUSE_ENV: os.environ.get(WAREHOUSE_ENV) or str(manifest.parent / "parse.duckdb")}
    result = subprocess.run(
        [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR), "--log-path", str(manifest.parent)],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    return manifest

"""The dbt project as Dagster sees it, and making sure its manifest exists before import.

`dagster dev` prepares the manifest itself (`prepare_if_dev`); the command line, tests and CI call
`ensure_manifest()` first, which runs `dbt parse` only when a project file is newer than the
manifest.
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

from orchestration.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV

#: dbt next to the running interpreter, so `.venv/bin/python -m …` works without an activated venv.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class VenvDbtCli(DbtCliResource):
    """dbt from this environment. dagster-dbt learns the dbt version by running `dbt --version`
    in a subprocess at every run (about 4 s of imports, and a look-up of the latest release on
    the network); the dbt here is always the dbt-core installed beside us, so ask the package."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    return VenvDbtCli(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE)


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
    env = dict(os.environ)
    env.setdefault(WAREHOUSE_ENV, str((Path("warehouse") / "outcome_ledger.duckdb").resolve()))
    result = subprocess.run(
        [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
         "--profiles-dir", str(DBT_PROJECT_DIR)],
        env=env, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    return manifest

"""A real monthly run: synthetic extracts → Dagster materialisation of every asset for one
partition → a warehouse that holds no CPR number anywhere."""

from __future__ import annotations

import os
import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs
from orchestration.publish import analyst_copy_path
from orchestration.resources import LedgerFolders, Warehouse
from orchestration.synthetic import SyntheticConfig, generate_extracts

pytestmark = pytest.mark.integration

MONTH = "2024-06"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("monthly_run")
    manifest = generate_extracts(root / "landing", SyntheticConfig(participants=60, seed=7),
                                 vintages=[__import__("datetime").date(2024, 6, 30)])
    warehouse = root / "warehouse.duckdb"
    os.environ["OUTCOME_LEDGER_PSEUDONYM_KEY"] = "monthly-run-test-key"
    os.environ["OUTCOME_LEDGER_WAREHOUSE"] = str(warehouse)   # read by dbt's profile
    resources = {
        "warehouse": Warehouse(path=str(warehouse)),
        "folders": LedgerFolders(landing=str(root / "landing"),
                                 contracts=str(Path(__file__).parents[2] / "contracts" / "terms")),
        "dbt": defs.resources["dbt"],
    }
    job = defs.resolve_job_def("monthly_run")
    result = job.execute_in_process(partition_key=MONTH, resources=resources, instance=dg.DagsterInstance.ephemeral())
    logs = "\n".join(str(e.message or "") for e in result.all_events)
    return result, warehouse, manifest, logs


def test_monthly_run_materialises_every_asset_for_the_partition(run) -> None:
    result, warehouse, _, _ = run
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw/referrals", "raw/benefit_weeks", "raw/selected_vintages", "marts/fct_outcome_years"} <= materialized
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.dim_participants").fetchall()[0][0] > 0
        assert con.execute("SELECT DISTINCT run_month FROM raw.selected_vintages").fetchall() == [(MONTH,)]
        weeks = con.execute("SELECT count(*) FROM marts.fct_participant_weeks").fetchall()[0][0]
        statements = con.execute("SELECT count(*) FROM payments.statements WHERE month = $m", {"m": MONTH}).fetchall()
    assert weeks > 0 and statements == [(3,)]
    with duckdb.connect(str(analyst_copy_path(warehouse)), read_only=True) as copy:   # published for analysts
        assert copy.execute("SELECT count(*) FROM marts.fct_participant_weeks").fetchall() == [(weeks,)]
        assert copy.execute("SELECT count(*) FROM payments.statements").fetchall() == statements
        assert copy.execute("SELECT count(*) FROM audit.trace").fetchall()[0][0] > 0


def _cpr_forms(cprs: frozenset[str]) -> set[str]:
    forms = set()
    for cpr in cprs:
        forms |= {cpr, f"{cpr[:6]}-{cpr[6:]}"}
        if cpr.startswith("0"):
            forms.add(cpr[1:])
    return forms


def test_no_cpr_number_anywhere_in_the_warehouse_or_the_log(run) -> None:
    _, warehouse, manifest, logs = run
    forms = _cpr_forms(manifest.cprs)
    assert len(manifest.cprs) > 60
    found = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'").fetchall()
        assert len(columns) > 30
        for schema, table, column in columns:
            values = con.execute(
                f'SELECT DISTINCT unnest(regexp_extract_all("{column}", \'[0-9]{{6}}-?[0-9]{{3,4}}\')) '
                f'FROM "{schema}"."{table}"').fetchall()
            found += [(schema, table, column) for (v,) in values if v in forms]
        numbers = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type IN ('BIGINT', 'HUGEINT', 'UBIGINT')").fetchall()
        for schema, table, column in numbers:
            values = con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{schema}"."{table}"').fetchall()
            found += [(schema, table, column) for (v,) in values if v in forms]
    assert found == []
    assert not any(form in logs for form in forms)
    assert not re.search("|".join(sorted(forms)), logs)

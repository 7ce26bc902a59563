"""The code location loads and has the expected assets, checks and job."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import defs


def test_definitions_load_with_the_monthly_job() -> None:
    job = defs.resolve_job_def("monthly_run")
    assert job.partitions_def is not None
    assert job.partitions_def.get_partition_keys()[0] == "2020-01"


def test_asset_graph_runs_from_raw_tables_to_the_marts() -> None:
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    for expected in ("raw/referrals", "raw/benefit_weeks", "raw/income_line_months", "raw/contracts",
                     "raw/selected_vintages", "marts/fct_outcome_years", "marts/fct_participant_weeks",
                     "marts/dim_participants", "reference/benefit_codes"):
        assert expected in keys, expected
    # dbt staging reads the raw tables the ingest assets write: lineage is connected.
    staging = graph.get(dg.AssetKey(["staging", "stg_referrals__referrals"]))
    assert dg.AssetKey(["raw", "referrals"]) in staging.parent_keys


def test_dbt_tests_are_asset_checks() -> None:
    checks = list(defs.resolve_asset_graph().asset_check_keys)
    assert len(checks) > 50
    assert any(c.asset_key == dg.AssetKey(["marts", "fct_outcome_years"]) for c in checks)

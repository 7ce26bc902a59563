"""The analysts' copy and what keeps costs flat: evidence weeks stored once per content, the copy
written incrementally in a storage format DuckDB 1.x reads, with column comments, and exported
to Parquet row for row."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import yaml

from orchestration.analyst_copy import (
    APPEND_KEYS, COPY_HEADER_VERSION, READABLE_BY_DUCKDB_1, analyst_copy_path, header_storage_version,
    publish_analyst_copy,
)
from orchestration.audit import format_trace
from orchestration.descriptions import RelationDescription
from orchestration.export import export_public_tables
from tests.audit.ledger import P3, RC, SV, Ledger, month_one, month_two
from tests.audit.test_evidence import issue, line_no

SOURCES = Path(__file__).parents[2] / "dbt_project" / "models" / "sources"


def _count(con: duckdb.DuckDBPyConnection, table: str, where: str = "") -> int:
    return con.execute(f"SELECT count(*) FROM {table} {where}").fetchall()[0][0]


def test_unchanged_weeks_are_not_stored_again_and_a_changed_week_keeps_the_old_trace(ledger: Ledger) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    first = _count(ledger.con, "audit.evidence_weeks")
    assert first == 52 + 104                     # RC: P1's streak and year weeks; SV: P3's −51 … 52
    old_trace = ledger.rows("SELECT * FROM audit.trace WHERE statement_month = '2024-03' ORDER BY ALL")
    old_text = format_trace(ledger.con, f"{SV}:2024-03", line_no(ledger, f"{SV}:2024-03", "gain_share"))

    month_two(ledger)                           # every file changes, the weeks' content does not …
    ledger.con.execute("UPDATE marts.fct_participant_weeks SET cost_dkk = 999.00 "
                       "WHERE contract_id = ? AND person_key = ? AND follow_up_week = 10", [SV, P3])
    issue(ledger, "2024-04")                    # … but for one week of P3

    versions = ledger.rows("SELECT contract_id, person_key, follow_up_week, from_month, cost_dkk "
                           "FROM audit.evidence_weeks WHERE from_month = '2024-04' ORDER BY ALL")
    assert [v for v in versions if v[0] == SV] == [(SV, P3, 10, "2024-04", Decimal("999.00"))]
    # the weeks of month one's statements are not written again; only the changed week and the
    # weeks RC's new statement uses for the first time (P2's streak) are new
    assert {(c, p) for c, p, *_ in versions} <= {(SV, P3), (RC, ledger.rows("SELECT person_key FROM "
                                                 "payments.statement_lines WHERE statement_id = ? AND "
                                                 "item_key LIKE '%job_entry_4w%'", [f"{RC}:2024-04"])[0][0])}
    assert len(versions) < 10

    def week_10_cost(statement_id: str) -> list[tuple]:
        return ledger.rows("SELECT DISTINCT cost_dkk FROM audit.trace WHERE statement_id = ? "
                           "AND evidence_kind = 'participant_week' AND follow_up_week = 10", [statement_id])
    assert week_10_cost(f"{SV}:2024-03") == [(Decimal("1000.00"),)]
    assert week_10_cost(f"{SV}:2024-04") == [(Decimal("999.00"),)]
    assert ledger.rows("SELECT * FROM audit.trace WHERE statement_month = '2024-03' ORDER BY ALL") == old_trace
    assert format_trace(ledger.con, f"{SV}:2024-03", line_no(ledger, f"{SV}:2024-03", "gain_share")) == old_text
    # the new statement's weeks point to the new benefit file, its income to the new income lines
    assert ledger.rows("SELECT DISTINCT benefits_file FROM audit.statement_evidence_weeks WHERE statement_id = ?",
                       [f"{SV}:2024-04"]) == [("dream_2024W17.csv",)]


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, int]:
    names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                        "AND schema_name IN ('marts', 'payments', 'audit', 'reference') ORDER BY ALL",
                        [database]).fetchall()
    return {f"{s}.{t}": _count(con, f'"{database}"."{s}"."{t}"') for s, t in names}


def test_the_copy_is_readable_by_duckdb_1_and_appends_only_the_new_rows(ledger: Ledger, warehouse_path: Path) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    first = publish_analyst_copy(ledger.con, warehouse_path, descriptions={})
    copy = analyst_copy_path(warehouse_path)
    assert not first.incremental
    assert header_storage_version(copy) == COPY_HEADER_VERSION and COPY_HEADER_VERSION in READABLE_BY_DUCKDB_1
    assert header_storage_version(warehouse_path) not in READABLE_BY_DUCKDB_1   # why the copy is written so

    month_two(ledger)
    issue(ledger, "2024-04")
    second = publish_analyst_copy(ledger.con, warehouse_path, descriptions={})
    assert second.incremental and header_storage_version(copy) == COPY_HEADER_VERSION
    # every append-only table got exactly the rows of the two new statements (or new loads), not
    # everything again: a month's publish does not grow with the months before it
    new = ("'rc:2024-04'", "'sv:2024-04'")
    for name, rows in second.rows_written.items():
        schema, table = name.split(".")
        key = APPEND_KEYS.get((schema, table))
        if key == ("statement_id",):
            assert rows == _count(ledger.con, name, f"WHERE statement_id IN ({', '.join(new)})"), name
        elif key == ("contract_id", "from_month"):
            assert rows == _count(ledger.con, name, "WHERE from_month = '2024-04'"), name
        elif key == ("load_id",):
            assert rows == _count(ledger.con, name, "WHERE load_id IN (21, 22, 23)"), name
    assert second.rows_written["payments.statements"] == 2
    assert second.rows_written["audit.source_income_lines"] > 0
    third = publish_analyst_copy(ledger.con, warehouse_path, descriptions={})   # nothing new
    assert all(third.rows_written[f"{s}.{t}"] == 0 for s, t in APPEND_KEYS if f"{s}.{t}" in third.rows_written)

    wanted = _tables(ledger.con, ledger.con.execute("SELECT current_database()").fetchall()[0][0])
    ledger.con.execute(f"ATTACH '{copy}' AS c (READ_ONLY)")
    try:
        held = _tables(ledger.con, "c")
        trace_here = ledger.rows("SELECT * FROM audit.trace ORDER BY ALL")
        trace_there = ledger.rows("SELECT * FROM c.audit.trace ORDER BY ALL")
    finally:
        ledger.con.execute("DETACH c")
    assert {k: v for k, v in held.items() if k in wanted} == wanted
    for view in ("audit.source_income_lines", "audit.source_referral_lines"):   # views here, tables there
        assert held[view] == _count(ledger.con, view) > 0
    assert {"payments.statements", "audit.evidence_weeks", "audit.source_income_lines"} <= held.keys()
    assert trace_there == trace_here and len(trace_here) > 100   # the views work over the copied tables


def test_the_copy_carries_column_comments(ledger: Ledger, warehouse_path: Path) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    described = {("payments", "statements"): RelationDescription(
        "payments", "statements", "One statement per contract and month.",
        {"statement_id": "Statement id, <contract_id>:<YYYY-MM>.", "month": "It's the month."})}
    publish_analyst_copy(ledger.con, warehouse_path, descriptions=described)
    with duckdb.connect(str(analyst_copy_path(warehouse_path)), read_only=True) as copy:
        comments = dict(copy.execute("SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = "
                                     "'payments' AND table_name = 'statements' AND comment IS NOT NULL").fetchall())
        table = copy.execute("SELECT comment FROM duckdb_tables() WHERE schema_name = 'payments' "
                             "AND table_name = 'statements'").fetchall()
    assert comments == {"statement_id": "Statement id, <contract_id>:<YYYY-MM>.", "month": "It's the month."}
    assert table == [("One statement per contract and month.",)]


def test_every_payments_and_audit_column_is_described_in_the_dbt_sources(ledger: Ledger) -> None:
    documented: dict[tuple[str, str], dict[str, str]] = {}
    for path in SOURCES.glob("*.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                assert table.get("description"), table["name"]
                documented[(source["schema"], table["name"])] = {
                    c["name"]: c.get("description", "") for c in table.get("columns", [])}
    from warehouse_schema import ensure_schema
    ensure_schema(ledger.con)
    actual: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in ledger.rows(
            "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name IN ('payments', 'audit') ORDER BY schema_name, table_name, column_index"):
        actual.setdefault((schema, table), []).append(column)
    assert set(actual) == set(documented)
    for relation, columns in actual.items():
        assert list(documented[relation]) == columns, relation
        assert all(documented[relation].values()), relation


def test_export_writes_every_public_table_of_the_copy_row_for_row(ledger: Ledger, warehouse_path: Path,
                                                                  tmp_path: Path) -> None:
    month_one(ledger)
    issue(ledger, "2024-03")
    publish_analyst_copy(ledger.con, warehouse_path, descriptions={})
    ledger.con.execute("CREATE TABLE marts.not_yet_in_the_copy AS SELECT 1 AS x")   # exports read the copy
    out = tmp_path / "export"
    (out).mkdir()
    (out / "marts.gone.parquet").write_bytes(b"stale")
    written = export_public_tables(warehouse_path, out)

    copy = analyst_copy_path(warehouse_path)
    with duckdb.connect(str(copy), read_only=True) as con:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
                             "('marts', 'payments', 'audit', 'reference') ORDER BY ALL").fetchall()
        assert [(t.schema, t.table) for t in written] == tables
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{s}.{t}.parquet" for s, t in tables)
        for table in written:
            name = f'"{table.schema}"."{table.table}"'
            parquet = f"read_parquet('{table.path}')"
            assert con.execute(f"SELECT count(*) FROM {parquet}").fetchall()[0][0] == table.rows == _count(con, name)
            for a, b in ((name, parquet), (parquet, name)):
                assert con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})"
                                   ).fetchall() == [(0,)], table
            assert [r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {parquet}").fetchall()] == [
                r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {name}").fetchall()], table
    assert any(t.table == "statement_lines" and t.rows > 0 for t in written)


def test_a_warehouse_of_the_former_per_statement_layout_is_refused_not_mixed(ledger: Ledger) -> None:
    import pytest

    from orchestration.audit import record_evidence
    from orchestration.audit.evidence import EvidenceLayoutRefused

    month_one(ledger)
    ledger.run("2024-03")
    ledger.con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    ledger.con.execute("CREATE TABLE audit.statement_evidence_weeks (statement_id VARCHAR)")
    with pytest.raises(EvidenceLayoutRefused, match="earlier version.*new warehouse"):
        record_evidence(ledger.con, "2024-03")
    assert ledger.rows("SELECT count(*) FROM audit.statement_evidence_runs") == [(0,)]


def _duckdb_1_wheel() -> Path | None:
    """A DuckDB 1.x wheel for this Python already on the machine (never downloaded), if any:
    OUTCOME_LEDGER_DUCKDB1_WHEEL, else the local package mirror."""
    import os
    import sys

    named = os.environ.get("OUTCOME_LEDGER_DUCKDB1_WHEEL")
    if named:
        return Path(named)
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    found = sorted(Path("/opt/pypi/files").glob(f"duckdb-1.*-{tag}-{tag}-manylinux*x86_64*.whl"))
    return found[-1] if found else None


def test_duckdb_1_opens_the_copy_when_a_1x_wheel_is_at_hand(ledger: Ledger, warehouse_path: Path,
                                                             tmp_path: Path) -> None:
    """The header check above is the test that always runs; where a DuckDB 1.x wheel is already on
    the machine, it is unpacked (not installed) and opens the copy in a child process."""
    import subprocess
    import sys
    import zipfile

    import pytest

    wheel = _duckdb_1_wheel()
    if wheel is None or not wheel.exists():
        pytest.skip("no DuckDB 1.x wheel on this machine (set OUTCOME_LEDGER_DUCKDB1_WHEEL)")
    month_one(ledger)
    issue(ledger, "2024-03")
    publish_analyst_copy(ledger.con, warehouse_path, descriptions={})
    expected = _count(ledger.con, "audit.trace")
    unpacked = tmp_path / "duckdb1"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    probe = ("import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
             "print(duckdb.__version__, con.execute('SELECT count(*) FROM audit.trace').fetchall()[0][0], "
             "con.execute('SELECT count(*) FROM payments.statements').fetchall()[0][0])")
    done = subprocess.run([sys.executable, "-c", probe, str(analyst_copy_path(warehouse_path))],
                          env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    version, trace_rows, statements = done.stdout.split()
    assert version.startswith("1.") and int(trace_rows) == expected and int(statements) == 2

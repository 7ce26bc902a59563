"""The command line end to end: issuing a closed month, an identical rerun, every refusal of
"Running a month" (message, exit status, nothing immutable written), the preview of the current
month against the issue once it has ended (statements and budget forecast), trace, report, budget,
usage errors."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from tests.orchestration.conftest import KEY, TERMS, IssuedJune, copy_issued_june, run_args

pytestmark = pytest.mark.integration

#: What a run may never write unless it issues: statements and everything issued with them.
IMMUTABLE = ("payments.statements", "payments.statement_lines", "payments.budget_entries",
             "payments.budget_forecast", "payments.statement_inputs", "audit.statement_evidence_runs", "audit.statement_evidence_weeks")


@pytest.fixture(scope="module")
def folders(issued_june: IssuedJune, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shared extracts, and this module's own copy of the warehouse with June issued."""
    root = tmp_path_factory.mktemp("cli")
    warehouse = copy_issued_june(issued_june, root / "warehouse")
    return {"landing": issued_june.landing, "warehouse": warehouse, "root": root}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", KEY)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.delenv("OUTCOME_LEDGER_TODAY", raising=False)


def _args(folders: dict[str, Path], month: str, *extra: str, **paths: Path) -> list[str]:
    chosen = {**folders, **paths}
    return run_args(month, chosen["landing"], chosen["warehouse"], *extra, terms=chosen.get("terms", TERMS))


def _snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in IMMUTABLE}


def test_a_closed_month_is_issued_and_an_identical_rerun_changes_nothing(issued_june, folders, capsys) -> None:
    out = issued_june.output           # June issued on a new warehouse (tests/orchestration/conftest.py)
    assert out.startswith(f"outcome-ledger run 2024-06 (issue) — warehouse {issued_june.warehouse}\n")
    for step in ("issue 2024-06 allowed", "referrals: 2 file(s) loaded", "models built:",
                 "statements computed: 3 statement(s)", "issued: 3 new statement(s)", "published:"):
        assert step in out, step
    assert "Statements 2024-06:" in out and "Lines (" in out and "Budget entries (" in out
    before = _snapshot(folders["warehouse"])

    assert main(_args(folders, "2024-06")) == 0        # identical inputs: reproduced, nothing new
    assert "were issued before and are unchanged" in capsys.readouterr().out
    assert _snapshot(folders["warehouse"]) == before


@pytest.mark.parametrize("case, expected", [
    ("typo in the landing folder", "the landing folder {root}/landingX does not exist (--landing or OUTCOME_LEDGER_LANDING)"),
    ("landing folder without source folders", "has none of the source folders referrals/, benefits/, income/"),
    ("missing terms folder", "the contract-terms folder {root}/no-terms does not exist"),
    ("current month", "refused: 2024-07 has not ended (today is 2024-07-20 in Copenhagen)"),
    ("future month", "refused: 2024-09 is in the future (today is 2024-07-20 in Copenhagen)"),
    ("threshold not a share", "OUTCOME_LEDGER_QUARANTINE_THRESHOLD='five' is not a share of a file's lines"),
    ("today not a date", "OUTCOME_LEDGER_TODAY='yesterday' is not a date written YYYY-MM-DD"),
])
def test_refused_before_anything_is_written(case, expected, folders, monkeypatch, capsys) -> None:
    capsys.readouterr()
    before = _snapshot(folders["warehouse"])
    loads_before = _loads(folders["warehouse"])
    root = folders["root"]
    (root / "empty-landing").mkdir(exist_ok=True)
    month, paths = "2024-07", {}
    # July has ended, so only the case's own problem can refuse — except for the month cases.
    monkeypatch.setenv("OUTCOME_LEDGER_TODAY", "2024-07-20" if case.endswith("month") else "2024-08-10")
    if case == "typo in the landing folder":
        paths = {"landing": root / "landingX"}
    elif case == "landing folder without source folders":
        paths = {"landing": root / "empty-landing"}
    elif case == "missing terms folder":
        paths = {"terms": root / "no-terms"}
    elif case == "future month":
        month = "2024-09"
    elif case == "threshold not a share":
        monkeypatch.setenv("OUTCOME_LEDGER_QUARANTINE_THRESHOLD", "five")
    elif case == "today not a date":
        monkeypatch.setenv("OUTCOME_LEDGER_TODAY", "yesterday")
    assert main(_args(folders, month, **paths)) == 1
    err = capsys.readouterr().err
    assert err.startswith("outcome-ledger: ") and err.count("\n") == 1 and "Traceback" not in err
    assert expected.format(root=root) in err
    assert _snapshot(folders["warehouse"]) == before and _loads(folders["warehouse"]) == loads_before


def _loads(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT * FROM audit.loads ORDER BY load_id").fetchall()


def test_nothing_is_created_for_a_refused_new_warehouse(folders, capsys, tmp_path) -> None:
    warehouse = tmp_path / "new" / "ledger.duckdb"
    assert main(_args(folders, "2024-06", landing=tmp_path / "nowhere", warehouse=warehouse)) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_a_month_before_an_issued_one_is_refused(folders, capsys) -> None:
    capsys.readouterr()
    before = _snapshot(folders["warehouse"])
    assert main(_args(folders, "2024-05")) == 1
    err = capsys.readouterr().err
    assert "outcome-ledger: refused: statements for months after 2024-05 are already issued" in err
    assert "Traceback" not in err and _snapshot(folders["warehouse"]) == before


def test_invalid_terms_are_refused_inside_the_run_with_one_message_and_nothing_issued(
        folders, capsys, caplog, tmp_path) -> None:
    caplog.set_level(logging.WARNING)   # what would reach the console (pytest's handler stands in for it)
    terms = tmp_path / "terms"
    shutil.copytree(TERMS, terms)
    broken = sorted(terms.glob("*.y*ml"))[0]
    broken.write_text(broken.read_text(encoding="utf-8") + "\nno_such_field: 1\n", encoding="utf-8")
    capsys.readouterr()
    before = _snapshot(folders["warehouse"])
    assert main(_args(folders, "2024-07", terms=terms)) == 1      # found by the terms step, inside the run
    err = capsys.readouterr().err
    assert "outcome-ledger: " in err and broken.name in err and "no_such_field" in err
    assert "Traceback" not in err
    assert "Blocking asset check" not in err + caplog.text   # one message, no executor noise (it is in the run log)
    assert _snapshot(folders["warehouse"]) == before


def _statement_sections(out: str) -> str:
    """The printed statements, lines and budget entries (from 'Statements M:' to the end of the
    budget entries)."""
    start = out.index("\nStatements ")
    end = out.find("\n\n", out.index("\nBudget entries (", start) + 1)
    return out[start:end if end > 0 else len(out)].rstrip()


def test_preview_of_the_current_month_issues_nothing_and_prints_what_the_issue_prints_once_it_ended(
        folders, monkeypatch, capsys) -> None:
    capsys.readouterr()
    before = _snapshot(folders["warehouse"])
    monkeypatch.setenv("OUTCOME_LEDGER_TODAY", "2024-07-20")            # July is the current month
    assert main(_args(folders, "2024-07", "--preview")) == 0
    preview = capsys.readouterr().out
    assert "(preview)" in preview and "PREVIEW of 2024-07 — nothing was issued" in preview
    assert _snapshot(folders["warehouse"]) == before                    # nothing immutable written

    monkeypatch.setenv("OUTCOME_LEDGER_TODAY", "2024-08-01")            # the clock moves on: July has ended
    assert main(_args(folders, "2024-07")) == 0
    issued = capsys.readouterr().out
    assert "issued: 3 new statement(s)" in issued
    assert _statement_sections(preview) == _statement_sections(issued)
    forecasts = re.findall(r"Budget forecast of .*?\n[^\n]* in all \([^\n]*", issued, flags=re.S)
    assert forecasts and re.findall(r"Budget forecast of .*?\n[^\n]* in all \([^\n]*", preview, flags=re.S) == forecasts
    assert "jobcenter-rate-card" in _statement_sections(issued) and "2024-07" in _statement_sections(issued)


def test_trace_and_report_of_the_run(folders, capsys) -> None:
    capsys.readouterr()
    warehouse = str(folders["warehouse"])
    assert main(["trace", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "1"]) == 0
    out = capsys.readouterr().out
    assert "Statement jobcenter-rate-card:2024-06" in out and "Line 1:" in out
    assert main(["trace", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "1", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["line_no"] == 1
    out_file = folders["root"] / "out" / "report.html"
    assert main(["report", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "--out", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["trace", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "999"]) == 1
    assert "has no line 999" in capsys.readouterr().err
    assert main(["budget", "--warehouse", warehouse, "--contract", "brondby-dsi-tuba", "--month", "2024-06"]) == 0
    out = capsys.readouterr().out
    assert "Budget forecast of brondby-dsi-tuba as of 2024-06" in out and "expected rests on" in out
    assert main(["budget", "--warehouse", warehouse, "--contract", "nope"]) == 1
    assert "no budget forecast for contract nope" in capsys.readouterr().err


def test_export_writes_parquet_from_the_analysts_copy(folders, capsys, tmp_path) -> None:
    capsys.readouterr()
    out = folders["root"] / "export"
    assert main(["export", "--warehouse", str(folders["warehouse"]), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "payments.statement_lines.parquet" in printed and printed.rstrip().endswith("tables")
    with duckdb.connect() as con:
        assert con.execute(f"SELECT count(*) FROM read_parquet('{out / 'payments.statements.parquet'}')"
                           ).fetchall()[0][0] >= 3
    assert main(["export", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "x")]) == 1
    assert "no analysts' copy" in capsys.readouterr().err


def test_a_month_not_written_yyyy_mm_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--month", "2024-13"])
    assert exit_.value.code == 2
    assert "'2024-13' is not a month written YYYY-MM" in capsys.readouterr().err


def test_instant_refusals_and_version_do_not_import_dagster_or_dbt(tmp_path) -> None:
    probe = ("import sys; from orchestration.cli import main; "
             "rc = main(['run', '--month', '2024-06', '--landing', sys.argv[1]]); "
             "print(rc, sorted(m for m in ('dagster', 'dbt', 'duckdb', 'polars') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "nowhere")], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.stdout.strip().splitlines()[-1] == "1 []", done.stdout + done.stderr
    assert "landing folder" in done.stderr and "Traceback" not in done.stderr
    version = subprocess.run([sys.executable, "-m", "orchestration.cli", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("outcome-ledger ")


def test_a_percentage_threshold_is_read_as_a_share() -> None:
    from decimal import Decimal

    from orchestration.settings import parse_threshold

    assert parse_threshold("5%") == Decimal("0.05") == parse_threshold("0.05")
    assert parse_threshold(" 12.5 % ") == Decimal("0.125")

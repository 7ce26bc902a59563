"""The command line end to end: a run, an identical rerun, a refused earlier month, trace, report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from orchestration.cli import main
from synthetic import SyntheticConfig, generate_extracts

pytestmark = pytest.mark.integration

TERMS = Path(__file__).parents[2] / "contracts" / "terms"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    generate_extracts(root / "landing", SyntheticConfig(participants=40, seed=3), vintages=[date(2024, 6, 30)])
    return {"landing": root / "landing", "warehouse": root / "warehouse" / "ledger.duckdb", "root": root}


def _run(folders: dict[str, Path], month: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", "cli-test-key")
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    return ["run", "--month", month, "--landing", str(folders["landing"]), "--contracts", str(TERMS),
            "--warehouse", str(folders["warehouse"])]


def test_run_rerun_and_refusal(folders, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    assert main(_run(folders, "2024-06", monkeypatch)) == 0
    out = capsys.readouterr().out
    assert "Loads this run:" in out and "Statements 2024-06:" in out
    assert "jobcenter-rate-card" in out and "brondby-dsi-tuba" in out

    assert main(_run(folders, "2024-06", monkeypatch)) == 0        # identical inputs: reproduced
    assert "were issued before and are unchanged" in capsys.readouterr().out

    assert main(_run(folders, "2024-05", monkeypatch)) == 1        # a month before an issued one
    err = capsys.readouterr().err
    assert "outcome-ledger: refused: statements for months after 2024-05 are already issued" in err
    assert "Traceback" not in err


def test_trace_and_report_of_the_run(folders, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    if not folders["warehouse"].exists():
        main(_run(folders, "2024-06", monkeypatch))
        capsys.readouterr()
    warehouse = str(folders["warehouse"])
    assert main(["trace", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "1"]) == 0
    out = capsys.readouterr().out
    assert "Statement jobcenter-rate-card:2024-06" in out and "Line 1:" in out
    out_file = folders["root"] / "out" / "report.html"
    assert main(["report", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "--out", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["trace", "--warehouse", warehouse, "jobcenter-rate-card:2024-06", "999"]) == 1
    assert "has no line 999" in capsys.readouterr().err


def test_a_month_not_written_yyyy_mm_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--month", "2024-13"])
    assert exit_.value.code == 2
    assert "'2024-13' is not a month written YYYY-MM" in capsys.readouterr().err

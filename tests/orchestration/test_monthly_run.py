"""A real monthly run: the warehouse with June issued by the command line (the shared one of
`tests/orchestration/conftest.py`), then July through a Dagster materialisation of every asset
for its partition, on a later vintage that corrects earlier register weeks → a warehouse that holds
no CPR number anywhere."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs
from orchestration.publish import analyst_copy_path
from orchestration.resources import LedgerFolders, RunMode, Warehouse
from synthetic import SyntheticManifest
from tests.orchestration.conftest import JULY, JUNE, KEY, TERMS, IssuedJune, copy_issued_june

pytestmark = pytest.mark.integration

MONTH = JUNE
NEXT_MONTH = JULY


@dataclass
class Run:
    result: dg.ExecuteInProcessResult        # the Dagster run of NEXT_MONTH
    warehouse: Path
    landing: Path
    manifest: SyntheticManifest
    logs: str                                # what both runs printed and logged
    trace_before_next_month: list[tuple]     # audit.trace of MONTH's statements, before NEXT_MONTH


def _trace_rows(warehouse: Path, month: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT * FROM audit.trace WHERE statement_month = $m ORDER BY ALL", {"m": month}).fetchall()


@pytest.fixture(scope="module")
def run(issued_june: IssuedJune, tmp_path_factory: pytest.TempPathFactory):
    """MONTH issued by the command line (shared), then NEXT_MONTH as a Dagster materialisation on
    this module's copy of the warehouse."""
    warehouse = copy_issued_june(issued_june, tmp_path_factory.mktemp("monthly_run"))
    landing = issued_june.landing
    before = _trace_rows(warehouse, MONTH)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", KEY)
        resources = {
            "warehouse": Warehouse(path=str(warehouse)),
            "folders": LedgerFolders(landing=str(landing), contracts=str(TERMS), warehouse=str(warehouse)),
            "run_mode": RunMode(issue=True),
        }
        job = defs.resolve_job_def("monthly_run")
        second = job.execute_in_process(partition_key=NEXT_MONTH, resources=resources,
                                        instance=dg.DagsterInstance.ephemeral())
    assert second.success
    logs = "\n".join([issued_june.output, issued_june.run_log.read_text(encoding="utf-8"),
                      *(str(e.message or "") for e in second.all_events)])
    return Run(second, warehouse, landing, issued_june.manifest, logs, before)


def test_monthly_run_materialises_every_asset_for_the_partition(run) -> None:
    result, warehouse = run.result, run.warehouse
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw/referrals", "raw/benefit_weeks", "raw/selected_vintages", "marts/fct_outcome_years"} <= materialized
    evaluations = result.get_asset_check_evaluations()
    checks = {(e.asset_key.to_user_string(), e.check_name): e for e in evaluations}
    assert len(checks) == len(evaluations)                                        # each check once per run
    for table in ("raw/referrals", "raw/benefit_persons", "raw/income_lines"):   # pandera, per extract
        evaluation = checks[(table, "extract_validation")]
        assert evaluation.passed and "failures" in evaluation.metadata and "sample" in evaluation.metadata
    dbt_checks = [e for (key, _), e in checks.items() if key.startswith("marts/")]
    assert dbt_checks and all(e.passed for e in dbt_checks)                       # dbt tests as asset checks
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM marts.dim_participants").fetchall()[0][0] > 0
        assert con.execute("SELECT DISTINCT run_month FROM raw.selected_vintages ORDER BY 1").fetchall() == [
            (MONTH,), (NEXT_MONTH,)]
        weeks = con.execute("SELECT count(*) FROM marts.fct_participant_weeks").fetchall()[0][0]
        statements = con.execute("SELECT count(*) FROM payments.statements").fetchall()
    assert weeks > 0 and statements == [(6,)]
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
    warehouse, manifest, logs = run.warehouse, run.manifest, run.logs
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


# --- the trace, checked against the landed files --------------------------------------------

SELF_SUPPORTING = {"none", "education", "leave"}   # the rate card's default self-supporting groups


def _code_groups() -> dict[int, str]:
    seeds = Path(__file__).parents[2] / "dbt_project" / "seeds" / "benefit_codes.csv"
    rows = [line.split(",") for line in seeds.read_text(encoding="utf-8").splitlines()[1:]]
    return {int(r[0]): r[2] for r in rows}


def _landed_line(path: Path, line_number: int) -> tuple[list[str], list[str]]:
    """(header fields, fields of the physical line `line_number`) of a landed extract."""
    lines = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    return lines[0].split(";"), lines[line_number - 1].split(";")


def _person_key(cpr: str) -> str:
    from orchestration.ingest.pseudonym import PseudonymKey
    cpr = cpr.strip().replace("-", "").rjust(10, "0")
    return PseudonymKey(KEY.encode()).person_key(cpr)


def test_trace_of_a_streak_line_lists_exactly_its_source_lines_and_rederives_its_amount(run: Run) -> None:
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        line = con.execute(
            "SELECT statement_id, line_no, item_key, person_key, amount_dkk FROM payments.statement_lines "
            "WHERE statement_id = $s AND outcome_id = 'job_entry_13w' AND kind = 'outcome' "
            "ORDER BY line_no LIMIT 1", {"s": f"jobcenter-rate-card:{MONTH}"}).fetchall()
        assert line, "the demo cohort has a verified 13-week job entry"
        statement_id, line_no, item_key, person_key, amount = line[0]
        rows = con.execute(
            "SELECT evidence_kind, follow_up_week, iso_week, benefit_code, file_name, file_sha256, line_number, "
            "achievement_week, start_date FROM audit.trace WHERE statement_id = $s AND line_no = $n "
            "ORDER BY evidence_order, follow_up_week", {"s": statement_id, "n": line_no}).fetchall()
        hashes = dict(con.execute("SELECT file_name, file_sha256 FROM audit.loads WHERE status = 'loaded'").fetchall())
    streak = [r for r in rows if r[0] == "streak_outcome"]
    weeks = [r for r in rows if r[0] == "participant_week"]
    referral = [r for r in rows if r[0] == "referral_line"]
    achieved = streak[0][7]
    assert [w[1] for w in weeks] == list(range(1, achieved + 1))        # weeks 1 … w, nothing else
    assert len(referral) == 1 and not [r for r in rows if r[0] == "income_line"]   # no hours used

    # Every week's code is the one in the landed benefit file, on the traced line, for that person.
    benefit_file, benefit_sha, benefit_line = weeks[0][4], weeks[0][5], weeks[0][6]
    assert {(w[4], w[5], w[6]) for w in weeks} == {(benefit_file, benefit_sha, benefit_line)}
    assert hashes[benefit_file] == benefit_sha
    header, fields = _landed_line(run.landing / "benefits" / benefit_file, benefit_line)
    assert _person_key(fields[0]) == person_key
    codes = {}
    for follow_up_week, iso_week, code in ((w[1], w[2], w[3]) for w in weeks):
        year, week = iso_week.split("-W")
        raw = fields[header.index(f"y_{year[2:]}{week}")].strip()
        assert (int(raw) if raw else None) == code
        codes[follow_up_week] = code

    # The referral line is the person's, in the landed referral list.
    _, referral_name, referral_sha, referral_line, _, start_date = referral[0][3:9]
    assert hashes[referral_name] == referral_sha
    header, fields = _landed_line(run.landing / "referrals" / referral_name, referral_line)
    assert fields[header.index("contract_id")] == "jobcenter-rate-card"
    assert _person_key(fields[header.index("cpr")]) == person_key
    assert fields[header.index("start_date")] == start_date.isoformat()

    # Re-derive: the first week w ≥ 13 ending 13 self-supporting weeks, within 78 weeks, pays 20,000.00.
    groups = _code_groups()
    supporting = [groups.get(codes[w], "?") in SELF_SUPPORTING if codes[w] is not None else True
                  for w in range(1, achieved + 1)]
    first = next(w for w in range(13, achieved + 1) if all(supporting[w - 13:w]))
    assert first == achieved <= 78
    assert item_key == f"{person_key}|job_entry_13w|0" and amount == Decimal("20000.00")


def test_trace_of_an_old_statement_is_unchanged_after_a_newer_vintage(run: Run) -> None:
    assert run.trace_before_next_month
    assert _trace_rows(run.warehouse, MONTH) == run.trace_before_next_month
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        files = con.execute("SELECT DISTINCT statement_month, file_name FROM audit.trace WHERE source = 'benefits' "
                            "ORDER BY 1").fetchall()
    assert files == [(MONTH, "dream_2024W26.csv"), (NEXT_MONTH, "dream_2024W30.csv")]


def test_report_renders_reconciles_and_holds_no_cpr(run: Run) -> None:
    from html.parser import HTMLParser

    from orchestration.audit import render_report

    statement_id = f"jobcenter-rate-card:{MONTH}"
    html = render_report(run.warehouse, statement_id)

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text: list[str] = []
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.tags.append(tag)

        def handle_data(self, data) -> None:
            self.text.append(data)

    parsed = Text()
    parsed.feed(html)
    text = re.sub(r"\s+", " ", " ".join(parsed.text))
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        payable, lines_total, sha = con.execute(
            "SELECT amount_payable_dkk, lines_total_dkk, statement_sha256 FROM payments.statements "
            "WHERE statement_id = $s", {"s": statement_id}).fetchall()[0]
        count = con.execute("SELECT count(*) FROM payments.statement_lines WHERE statement_id = $s",
                            {"s": statement_id}).fetchall()[0][0]
    assert "svg" in parsed.tags and parsed.tags.count("details") >= count > 0
    assert sha in text
    plain = re.sub(r"(?<=[0-9])[ ,\u00a0\u202f](?=[0-9]{3})", "", text)   # without thousands separators
    assert f"Amount payable {payable:.2f} DKK" in plain
    assert f"{lines_total:.2f}" in plain
    forms = _cpr_forms(run.manifest.cprs)
    assert not [f for f in re.findall(r"[0-9]{6}-?[0-9]{3,4}", html) if f in forms]

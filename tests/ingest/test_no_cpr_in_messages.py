"""No CPR number reaches a message: CPR-bearing lines are fed to every way a file or a line is
refused, through the real ingest assets (Dagster materialisation), and the warehouse, the
Python log, the console summary and the Dagster event log are scanned for any CPR of the input."""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.ingest.assets import benefit_register_extract, income_register_extract, referrals_extract
from orchestration.resources import LedgerFolders, Warehouse
from orchestration.summary import load_summary
from tests.ingest.conftest import INCOME_HEADER, REFERRALS_HEADER, Ledger

#: Distinct, valid CPR numbers (real day-month), one per test line.
CPRS = [f"{day:02d}{month:02d}{year:02d}{serial:04d}" for day, month, year, serial in
        ((3, 4, 71, 2417), (14, 2, 83, 1931), (27, 11, 64, 3350), (8, 8, 92, 4172), (19, 6, 58, 2208),
         (1, 12, 77, 1563), (22, 3, 69, 3904), (30, 9, 88, 2741), (11, 1, 95, 4318), (5, 7, 61, 1186),
         (16, 10, 74, 3027), (25, 5, 99, 2659))]


def _forms(cpr: str) -> set[str]:
    return {cpr, f"{cpr[:6]}-{cpr[6:]}", cpr[1:] if cpr.startswith("0") else cpr}


FORMS = set().union(*(_forms(c) for c in CPRS))
NUMBERS = re.compile(r"\d{6}-?\d{3,4}")


def _weeks_header() -> str:
    return "pnr;y_2410;y_2411;y_2412;y_2413"


def _deliveries() -> dict[tuple[str, str], bytes]:
    """One delivery per way of refusing a file or a line, each carrying CPR numbers."""
    c = CPRS
    ref = "c1;{};2024-01-10;2024-02-01"
    inc = "{};12345678;2024-02-01;2024-02-29;00;20000,00;160,33;"
    deliveries = {
        # whole files refused
        ("referrals", "referrals_2024-01-31.csv"): "\n".join(ref.format(x) for x in c[:3]) + "\n",   # no header
        ("income", "eindkomst_2024-01.csv"): "\n".join(inc.format(x) for x in c[:3]) + "\n",         # no header
        ("benefits", "dream_2024W05.csv"): f"{c[0]};701;701\n{c[1]};701;701\n",                      # no header
        ("referrals", "referrals_2024-02-29.csv"): f"{c[3]};{c[3]};2024-01-10\n{c[4]};{c[4]};x\n",   # repeated values
        ("referrals", "referrals_2024-03-15.csv"): "contract_id;cpr;referral_date\n" + ref.format(c[5]) + "\n",
        ("income", "eindkomst_2024-02.csv"): INCOME_HEADER + "\n" + inc.format(c[6]) + "\n#records;7\n",
        ("benefits", "dream_2024W07.csv"): "pnr;y_2401;y_2403\n" + f"{c[7]};701;701\n",              # week gap
        ("referrals", "referrals_2024-04-30.csv"): REFERRALS_HEADER + "\n" + "\n".join(             # > threshold
            f"c1;{x}x;2024-01-10;" for x in c[:4]) + "\n",
        ("income", "eindkomst_2024-03.csv"): (INCOME_HEADER + "\n" + inc.format(c[8]) + "\n").encode("utf-16"),
        ("referrals", "referrals_2024-05-31.csv"): b"\x81\x8d" + ref.format(c[9]).encode() + b"\n",   # bad bytes
        # lines quarantined in a loaded file: invalid date, start before referral, duplicate, short line
        ("referrals", "referrals_2024-06-30.csv"): REFERRALS_HEADER + "\n" + "\n".join(
            [ref.format(x) for x in c] + [f"c1;{c[10]};2024-02-30;", f"c1;{c[11]};2024-03-01;2024-01-01",
             ref.format(c[0]), f"c1;{c[1]}"]) + "\n",
        ("benefits", "dream_2024W13.csv"): _weeks_header() + "\n" + "\n".join(
            [f"{x};701;701;;111" for x in c] + [f"{c[2]};7x1;;;", f"{c[3]}"]) + "\n",
        ("income", "eindkomst_2024-04.csv"): INCOME_HEADER + "\n" + "\n".join(
            [inc.format(x) for x in c] + [f"{c[4]};1234;2024-02-01;2024-02-29;00;1,00;-1,00;"]) + "\n",
    }
    table = pa.table({"contract_id": ["c1"], "cpr": [c[5]], "referral_date": ["2024-01-10"], "start_date": [None]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)                                                   # date as text: wrong type
    deliveries[("referrals", "referrals_2024-07-31.parquet")] = buffer.getvalue()
    deliveries[("referrals", "referrals_2024-08-31.parquet")] = b"PAR1" + c[6].encode() + b"PAR1"   # not Parquet
    return {k: v.encode() if isinstance(v, str) else v for k, v in deliveries.items()}


@pytest.fixture
def ingested(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    ledger = Ledger(tmp_path)
    for (source, name), content in _deliveries().items():
        ledger.write(source, name, content)
    since = datetime.now().replace(year=2000)
    caplog.set_level(logging.DEBUG)
    result = dg.materialize(
        [referrals_extract, benefit_register_extract, income_register_extract], partition_key="2024-06",
        instance=dg.DagsterInstance.ephemeral(),
        resources={"warehouse": Warehouse(path=str(ledger.warehouse)),
                   "folders": LedgerFolders(landing=str(ledger.landing), contracts=str(tmp_path),
                                            warehouse=str(ledger.warehouse), quarantine_threshold="0.9")})
    assert result.success
    return ledger, result, since, caplog


def _cprs_in(text: str) -> list[str]:
    return [n for n in NUMBERS.findall(text) if n in FORMS]


def test_every_rejection_and_quarantine_path_was_taken(ingested) -> None:
    ledger, *_ = ingested
    statuses = dict(ledger.rows("SELECT file_name, status FROM audit.loads"))
    assert sorted(n for n, s in statuses.items() if s == "loaded") == [
        "dream_2024W13.csv", "eindkomst_2024-04.csv", "referrals_2024-06-30.csv"]
    assert sum(s == "rejected" for s in statuses.values()) == len(statuses) - 3
    reasons = {r for (r,) in ledger.rows("SELECT DISTINCT reason FROM audit.quarantine")}
    assert {"invalid_date", "before_referral", "duplicate", "wrong_field_count", "invalid_code",
            "invalid_se_nr", "negative_without_correction"} <= reasons
    no_header = ledger.load("referrals_2024-01-31.csv")[1]
    assert "line 1 is not a header line" in no_header and "field(s) 2-4 of its 4" in no_header


def test_no_cpr_in_the_warehouse_the_log_the_console_or_the_dagster_events(ingested) -> None:
    ledger, result, since, caplog = ingested
    found = []
    with duckdb.connect(str(ledger.warehouse), read_only=True) as con:
        for schema, table, column in con.execute(
                "SELECT table_schema, table_name, column_name FROM information_schema.columns "
                "WHERE data_type = 'VARCHAR' OR data_type LIKE '%INT%'").fetchall():
            values = con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{schema}"."{table}"').fetchall()
            found += [(schema, table, column) for (v,) in values if v and _cprs_in(v)]
        console = load_summary(con, since)
    assert found == []
    assert "Rejected files:" in console and "Quarantined values:" in console
    assert _cprs_in(console) == []
    assert _cprs_in(caplog.text) == []
    events = "\n".join(f"{e.message} {e.event_specific_data!r}" for e in result.all_events)
    assert "rejected" in events and _cprs_in(events) == []

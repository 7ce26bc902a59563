"""A landing folder and a warehouse file per test, and a way to ingest and look."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.loader import ingest_landing
from orchestration.ingest.pseudonym import PseudonymKey
from tests.conftest import TEST_KEY

REFERRALS_HEADER = "contract_id;cpr;referral_date;start_date"
INCOME_HEADER = "cpr;se_nr;period_start;period_end;income_type;a_income;hours;correction"


class Ledger:
    """Write extract files byte for byte, ingest them, and query what landed."""

    def __init__(self, root: Path) -> None:
        self.landing = root / "landing"
        self.warehouse = root / "warehouse.duckdb"
        for source in ("referrals", "benefits", "income"):
            (self.landing / source).mkdir(parents=True, exist_ok=True)

    def write(self, source: str, name: str, content: str | bytes, *, encoding: str = "utf-8",
              line_end: str = "\n") -> Path:
        path = self.landing / source / name
        if isinstance(content, str):
            content = content.replace("\n", line_end).encode(encoding)
        path.write_bytes(content)
        return path

    def ingest(self, threshold: Decimal = Decimal("0.05"), key: str = TEST_KEY):
        with duckdb.connect(str(self.warehouse)) as con:
            return ingest_landing(con, self.landing, PseudonymKey(key.encode()), threshold)

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or {}).fetchall()

    def scalar(self, sql: str, params: dict | None = None):
        return self.rows(sql, params)[0][0]

    def load(self, name: str) -> tuple:
        """(status, message, rows_read, rows_loaded, rows_quarantined) of the latest record of a file."""
        return self.rows(
            "SELECT status, message, rows_read, rows_loaded, rows_quarantined FROM audit.loads "
            "WHERE file_name = $n ORDER BY load_id DESC LIMIT 1", {"n": name})[0]

    def quarantine(self, name: str) -> list[tuple]:
        return self.rows(
            "SELECT line_number, column_name, reason FROM audit.quarantine WHERE file_name = $n "
            "ORDER BY line_number NULLS LAST, column_name", {"n": name})

    @staticmethod
    def person_key(cpr10: str) -> str:
        return PseudonymKey(TEST_KEY.encode()).person_key(cpr10)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path)


def benefit_file(weeks: list[str], rows: list[str]) -> str:
    return "pnr;" + ";".join(f"y_{w}" for w in weeks) + "\n" + "\n".join(rows) + "\n"


def referrals(*rows: str) -> str:
    return REFERRALS_HEADER + "\n" + "\n".join(rows) + "\n"


def income(*rows: str) -> str:
    return INCOME_HEADER + "\n" + "\n".join(rows) + "\n"

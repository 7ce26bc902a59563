"""Keyed pseudonyms: stable under one key, different under another, a second key refused."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.loader import ensure_key
from orchestration.ingest.pseudonym import KeyMismatch, PseudonymKey, load_key, person_key_sql
from tests.ingest.conftest import Ledger, referrals


def _sql_person_key(key: bytes, cpr10: str) -> str:
    with duckdb.connect() as con:
        return con.execute(f"SELECT {person_key_sql('$cpr')}",
                           {"cpr": cpr10, **PseudonymKey(key).sql_parameters()}).fetchall()[0][0]


@pytest.mark.parametrize("key", [b"k", "nøgle-æøå".encode(), b"x" * 64, b"y" * 65, b"z" * 200])
def test_sql_hmac_equals_the_specified_hmac(key: bytes) -> None:
    expected = hmac.new(key, b"0101904000", hashlib.sha256).hexdigest()[:32]
    assert _sql_person_key(key, "0101904000") == expected


def test_fingerprint_is_the_specified_one() -> None:
    assert PseudonymKey(b"abc").fingerprint == hmac.new(b"abc", b"outcome-ledger", hashlib.sha256).hexdigest()[:16]


def test_same_key_gives_the_same_person_keys_in_a_fresh_warehouse(tmp_path: Path) -> None:
    keys = []
    for run in ("a", "b"):
        ledger = Ledger(tmp_path / run)
        ledger.write("referrals", "referrals_2024-03-31.csv", referrals("c1;0101904000;2024-01-10;"))
        ledger.ingest(key="same-key")
        keys.append(ledger.scalar("SELECT person_key FROM raw.referrals"))
    assert keys[0] == keys[1] == PseudonymKey(b"same-key").person_key("0101904000")


def test_another_key_gives_other_person_keys(tmp_path: Path) -> None:
    keys = set()
    for run, key in (("a", "key-one"), ("b", "key-two")):
        ledger = Ledger(tmp_path / run)
        ledger.write("referrals", "referrals_2024-03-31.csv", referrals("c1;0101904000;2024-01-10;"))
        ledger.ingest(key=key)
        keys.add(ledger.scalar("SELECT person_key FROM raw.referrals"))
    assert len(keys) == 2


def test_a_load_under_another_key_is_refused_and_loads_nothing(ledger: Ledger) -> None:
    ledger.write("referrals", "referrals_2024-03-30.csv", referrals("c1;0101904000;2024-01-10;"))
    ledger.ingest(key="key-one")
    ledger.write("referrals", "referrals_2024-03-31.csv", referrals("c1;0201904000;2024-01-10;"))
    with pytest.raises(KeyMismatch, match="built under another pseudonym key"):
        ledger.ingest(key="key-two")
    assert ledger.scalar("SELECT count(*) FROM audit.loads") == 1
    assert ledger.scalar("SELECT key_fingerprint FROM audit.warehouse_key") == PseudonymKey(b"key-one").fingerprint


def test_key_file_is_created_0600_with_a_warning_when_no_key_is_set(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("OUTCOME_LEDGER_PSEUDONYM_KEY")
    path = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv("OUTCOME_LEDGER_KEY_FILE", str(path))
    first = load_key(create=True, new_warehouse=True)   # the command line, on a new warehouse
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "created a pseudonym key file" in caplog.text
    assert load_key() == first   # the same key next time


def test_key_from_environment_is_used_as_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", "nøgle")
    assert load_key().key == "nøgle".encode("utf-8")


def test_the_warehouse_belongs_to_the_key_of_its_first_load(ledger: Ledger) -> None:
    ledger.ingest(key="key-one")                       # nothing landed: no load, no owner yet
    assert ledger.scalar("SELECT count(*) FROM audit.warehouse_key") == 0
    ledger.write("referrals", "referrals_2024-03-31.csv", referrals("c1;0101904000;2024-01-10;"))
    ledger.ingest(key="key-two")
    ledger.ingest(key="key-two")
    assert ledger.rows("SELECT key_fingerprint FROM audit.warehouse_key") == [(PseudonymKey(b"key-two").fingerprint,)]
    with duckdb.connect(str(ledger.warehouse)) as con:
        ensure_key(con, PseudonymKey(b"key-two"))
        with pytest.raises(KeyMismatch):
            ensure_key(con, PseudonymKey(b"key-one"))


def test_no_key_file_is_created_for_a_warehouse_that_belongs_to_a_key(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OUTCOME_LEDGER_PSEUDONYM_KEY")
    path = tmp_path / "pseudonym.key"
    monkeypatch.setenv("OUTCOME_LEDGER_KEY_FILE", str(path))
    with pytest.raises(KeyMismatch, match="no pseudonym key: .* OUTCOME_LEDGER_KEY_FILE"):
        load_key(create=True, new_warehouse=False)
    assert not path.exists()


def test_a_run_started_from_dagster_never_creates_a_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OUTCOME_LEDGER_PSEUDONYM_KEY")
    path = tmp_path / "pseudonym.key"
    monkeypatch.setenv("OUTCOME_LEDGER_KEY_FILE", str(path))
    with pytest.raises(KeyMismatch, match="a run started from Dagster never creates one"):
        load_key(create=False, new_warehouse=True)
    assert not path.exists()

"""Shared test fixtures: a fixed pseudonym key, temporary warehouses and landing folders."""

from __future__ import annotations

import os

import pytest

TEST_KEY = "test-pseudonym-key"


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", TEST_KEY)
    return TEST_KEY


@pytest.fixture(autouse=True)
def no_user_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never touch the user's key file from a test."""
    monkeypatch.setenv("OUTCOME_LEDGER_KEY_FILE", str(tmp_path_factory.mktemp("key") / "pseudonym.key"))


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

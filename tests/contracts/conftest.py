"""Fixtures for the contract-terms tests (helpers in `terms_cases.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.contracts.terms_cases import TermsFolder


@pytest.fixture
def terms_folder(tmp_path: Path) -> TermsFolder:
    return TermsFolder(tmp_path / "terms")

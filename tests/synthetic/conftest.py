"""One demo landing folder (four monthly vintages) shared by the synthetic-extract tests."""

from __future__ import annotations

import pytest

from synthetic import SyntheticConfig, SyntheticManifest, generate_extracts

DEMO = SyntheticConfig()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SyntheticManifest:
    landing = tmp_path_factory.mktemp("demo") / "landing"
    return generate_extracts(landing, DEMO, vintages=DEMO.demo_vintages())

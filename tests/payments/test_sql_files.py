"""The engine's SQL files: every statement the code reads by name exists, and every file is read."""

from __future__ import annotations

import re
from importlib.resources import files

from contracts.payments.run import INSERTS

PACKAGE = files("contracts.payments")


def test_every_named_statement_is_a_file_and_every_file_is_used() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.iterdir() if p.name.endswith(".py"))
    named = set(re.findall(r'\bsql\("([a-z_]+)"\)', code)) | {f"insert_{table}" for table in INSERTS}
    present = {p.name.removesuffix(".sql") for p in PACKAGE.joinpath("sql").iterdir() if p.name.endswith(".sql")}
    assert named - present == set(), "read by name but missing"
    assert present - named == set(), "files no code reads"

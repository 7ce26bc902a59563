"""What an issued statement recorded, and whether the recorded inputs are still the same bytes.

A statement records the file name and SHA-256 of each landed vintage it used, the SHA-256 of its
terms and of every reference file, and keeps a copy of the terms and reference files
(`payments.statement_inputs`). `input_differences` checks each against what is there now: the
landed files in the landing folder, the stored copies' own text. Each difference is one sentence
naming the file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from orchestration.ingest.landing import SOURCES


@dataclass(frozen=True)
class StoredCopy:
    input_kind: str      # terms | reference
    file_name: str
    file_sha256: str     # as recorded beside the copy
    content: str


@dataclass
class IssuedStatement:
    """A `payments.statements` row and the copies stored with it."""

    row: dict
    copies: list[StoredCopy] = field(default_factory=list)

    @property
    def statement_id(self) -> str:
        return self.row["statement_id"]

    @property
    def month(self) -> str:
        return self.row["month"]

    @property
    def contract_id(self) -> str:
        return self.row["contract_id"]

    def landed(self) -> dict[str, tuple[str, str]]:
        """source → (file name, recorded SHA-256) of each vintage the statement recorded."""
        return {s: (self.row[f"{s}_file"], self.row[f"{s}_sha256"]) for s in SOURCES if self.row[f"{s}_file"]}

    def reference_files(self) -> dict[str, str]:
        return json.loads(self.row["reference_files"])

    def run_inputs(self) -> tuple:
        """What the run recorded for every statement of its month: statements with equal run
        inputs are re-derived together, in one scratch warehouse."""
        return (self.month, tuple(sorted(self.landed().items())), self.row["reference_files"])

    def terms_copy(self) -> StoredCopy | None:
        found = [c for c in self.copies if c.input_kind == "terms"]
        return found[0] if len(found) == 1 else None

    def reference_copies(self) -> dict[str, StoredCopy]:
        return {c.file_name: c for c in self.copies if c.input_kind == "reference"}


def text_sha256(text: str) -> str:
    """The SHA-256 of a stored copy: of its UTF-8 bytes, which are the file's bytes (the copy is
    the file's bytes decoded as UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def landed_differences(statement: IssuedStatement, landing: Path) -> list[str]:
    """The recorded vintages that are missing from the landing folder or have other bytes now."""
    out = []
    for source, (name, recorded) in statement.landed().items():
        path = landing / source / name
        if not path.is_file():
            out.append(f"landed file {source}/{name}: not in the landing folder {landing}")
            continue
        now = file_sha256(path)
        if now != recorded:
            out.append(f"landed file {source}/{name}: its SHA-256 is now {now}, the statement recorded {recorded}")
    return out


def copy_differences(statement: IssuedStatement) -> list[str]:
    """The stored terms and reference copies that are missing or are not what the statement recorded."""
    out = []
    recorded_terms = statement.row["terms_sha256"]
    terms = [c for c in statement.copies if c.input_kind == "terms"]
    if len(terms) != 1:
        out.append(f"terms copy: payments.statement_inputs holds {len(terms)} terms copies for the statement, not 1")
    for copy in terms:
        out += _copy_difference(copy, recorded_terms, "the statement recorded terms_sha256")
    recorded_refs = statement.reference_files()
    copies = statement.reference_copies()
    for name in sorted(set(recorded_refs) | set(copies)):
        if name not in copies:
            out.append(f"reference copy {name}: recorded on the statement ({recorded_refs[name]}) "
                       f"but no copy is stored")
        elif name not in recorded_refs:
            out.append(f"reference copy {name}: stored with the statement but not among its recorded reference files")
        else:
            out += _copy_difference(copies[name], recorded_refs[name], "the statement recorded")
    return out


def _copy_difference(copy: StoredCopy, recorded: str, recorded_as: str) -> list[str]:
    what = f"{copy.input_kind} copy {copy.file_name}"
    actual = text_sha256(copy.content)
    if actual != recorded:
        return [f"{what}: its stored text hashes to {actual}, {recorded_as} {recorded}"]
    if copy.file_sha256 != recorded:
        return [f"{what}: payments.statement_inputs gives SHA-256 {copy.file_sha256}, {recorded_as} {recorded}"]
    return []

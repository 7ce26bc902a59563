"""The recorded inputs of a statement run: what each statement records and what a rerun compares.

`contracts.md`: inputs are compared per contract — the selected vintages of the sources it needs,
its terms, the reference files and the product version. The git commit is recorded when known but
not compared (a rebuilt checkout of the same release must reproduce, not refuse).

Build them with `RunInputs.from_warehouse(con, month=..., reference_dir=...)` once dbt has built the
marts of the run: terms from `marts.dim_contracts`, vintages from `marts.dim_selected_vintages`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from contracts.payments.queries import sql


@dataclass(frozen=True)
class SourceVintage:
    """The selected vintage of one source: file name and SHA-256 (recorded), as-of date (used)."""

    file_name: str
    sha256: str
    as_of: date


@dataclass(frozen=True)
class ReferenceFile:
    """A reference file as the run used it; `text` is the copy kept with each statement."""

    file_name: str
    sha256: str
    text: str

    @classmethod
    def from_bytes(cls, file_name: str, data: bytes) -> ReferenceFile:
        return cls(file_name, hashlib.sha256(data).hexdigest(), data.decode("utf-8"))


@dataclass(frozen=True)
class ContractInputs:
    """Everything recorded on one contract's statement."""

    contract_id: str
    terms_file: str
    terms_sha256: str
    terms_text: str
    referrals: SourceVintage
    benefits: SourceVintage
    income: SourceVintage | None  # the selected income vintage (None when none is selected)
    reference_files: tuple[ReferenceFile, ...]
    product_version: str
    git_commit: str | None = None
    #: Whether the contract needs the income register (uses employment hours): only then is the
    #: income vintage compared on a rerun. It is recorded on the statement whenever one is selected.
    uses_income: bool = True

    def reference_files_json(self) -> str:
        """The `reference_files` column: a JSON object file name → SHA-256, keys sorted."""
        mapping = {f.file_name: f.sha256 for f in self.reference_files}
        return json.dumps(dict(sorted(mapping.items())), separators=(",", ":"), ensure_ascii=False)

    def recorded(self) -> dict[str, object]:
        """The compared inputs, keyed like the columns of `payments.statements`."""
        income = self.income if self.uses_income else None
        return {
            "terms_sha256": self.terms_sha256,
            "referrals_file": self.referrals.file_name,
            "referrals_sha256": self.referrals.sha256,
            "benefits_file": self.benefits.file_name,
            "benefits_sha256": self.benefits.sha256,
            "income_file": income.file_name if income else None,
            "income_sha256": income.sha256 if income else None,
            "reference_files": {f.file_name: f.sha256 for f in self.reference_files},
            "product_version": self.product_version,
        }


@dataclass(frozen=True)
class RunInputs:
    """The inputs of one statement run, per contract id (the contracts of `marts.dim_contracts`)."""

    contracts: Mapping[str, ContractInputs] = field(default_factory=dict)

    @classmethod
    def of(cls, contracts: Iterable[ContractInputs]) -> RunInputs:
        mapping: dict[str, ContractInputs] = {}
        for c in contracts:
            if c.contract_id in mapping:
                raise ValueError(f"duplicate inputs for contract {c.contract_id}")
            mapping[c.contract_id] = c
        return cls(mapping)

    @classmethod
    def from_warehouse(
        cls,
        con: duckdb.DuckDBPyConnection,
        *,
        month: str,
        reference_files: Iterable[ReferenceFile] | None = None,
        reference_dir: str | Path | None = None,
        product_version: str | None = None,
        git_commit: str | None = None,
    ) -> RunInputs:
        """Read terms from `marts.dim_contracts` and vintages from `marts.dim_selected_vintages`.

        The marts must have been built for `month` (their selected vintages say which month they
        were built for): a statement records the inputs its figures rest on.
        Reference files come either ready-made or from every `*.csv` of `reference_dir`.
        The selected income vintage is recorded on every statement, and compared on a rerun only
        for contracts that use employment hours (the only ones that need it); a contract that needs
        it when no income vintage is selected is an error.
        """
        if reference_files is None:
            if reference_dir is None:
                raise ValueError("give reference_files or reference_dir")
            reference_files = read_reference_dir(reference_dir)
        refs = tuple(sorted(reference_files, key=lambda f: f.file_name))
        version = product_version if product_version is not None else installed_version()

        vintages: dict[str, SourceVintage] = {}
        built_for = set()
        for run_month, source, file_name, sha, as_of in con.execute(sql("selected_vintages")).fetchall():
            built_for.add(run_month)
            vintages[source] = SourceVintage(file_name, sha, as_of)
        if built_for - {month}:
            raise ValueError(f"the marts were built for {', '.join(sorted(built_for))}, not {month}: "
                             f"build them for {month} first")
        for needed in ("referrals", "benefits"):
            if needed not in vintages:
                raise ValueError(f"no selected {needed} vintage for {month} in marts.dim_selected_vintages")

        rows = con.execute(sql("contract_inputs")).fetchall()
        contracts = []
        for contract_id, terms_file, terms_sha, terms_yaml, uses_hours in rows:
            if uses_hours and "income" not in vintages:
                raise ValueError(f"contract {contract_id} uses employment hours but no income vintage is selected")
            contracts.append(
                ContractInputs(
                    contract_id=contract_id,
                    terms_file=terms_file,
                    terms_sha256=terms_sha,
                    terms_text=terms_yaml,
                    referrals=vintages["referrals"],
                    benefits=vintages["benefits"],
                    income=vintages.get("income"),
                    reference_files=refs,
                    product_version=version,
                    git_commit=git_commit,
                    uses_income=bool(uses_hours),
                )
            )
        return cls.of(contracts)


def read_reference_dir(path: str | Path, pattern: str = "*.csv") -> tuple[ReferenceFile, ...]:
    """Every reference file of a folder, by name, hashed on its bytes."""
    folder = Path(path)
    files = sorted(p for p in folder.glob(pattern) if p.is_file())
    return tuple(ReferenceFile.from_bytes(p.name, p.read_bytes()) for p in files)


def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("outcome-ledger")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def recorded_from_row(row: Mapping[str, object], uses_income: bool = True) -> dict[str, object]:
    """The compared inputs of an issued statement (a `payments.statements` row as a mapping);
    the income vintage counts only for a contract that uses employment hours."""
    rec: dict[str, object] = {}
    for key in (
        "terms_sha256",
        "referrals_file",
        "referrals_sha256",
        "benefits_file",
        "benefits_sha256",
        "income_file",
        "income_sha256",
        "product_version",
    ):
        rec[key] = row[key]
    rec["reference_files"] = json.loads(str(row["reference_files"]))
    if not uses_income:
        rec["income_file"] = rec["income_sha256"] = None
    return rec


_LABELS = {
    "terms_sha256": "terms",
    "referrals_file": "referral vintage",
    "referrals_sha256": "referral vintage SHA-256",
    "benefits_file": "benefit vintage",
    "benefits_sha256": "benefit vintage SHA-256",
    "income_file": "income vintage",
    "income_sha256": "income vintage SHA-256",
    "product_version": "product version",
}


def differences(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """Human-readable differences between two recorded input sets (empty when identical)."""
    out: list[str] = []
    for key, label in _LABELS.items():
        if old[key] != new[key]:
            if key.endswith("_file") or key == "product_version":
                out.append(f"{label} {old[key] or 'none'} → {new[key] or 'none'}")
            elif key == "terms_sha256":
                out.append("terms changed")
            elif old[key.replace("_sha256", "_file")] == new[key.replace("_sha256", "_file")]:
                out.append(f"{label} changed")
    old_refs = old["reference_files"]
    new_refs = new["reference_files"]
    assert isinstance(old_refs, Mapping) and isinstance(new_refs, Mapping)
    if dict(old_refs) != dict(new_refs):
        names = sorted(n for n in set(old_refs) | set(new_refs) if old_refs.get(n) != new_refs.get(n))
        out.append("reference data changed: " + ", ".join(names))
    return out

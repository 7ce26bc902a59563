"""What terms are validated against: the reference data, and the file being read.

Only what validation needs is read here: the benefit-group names (`benefit_groups.csv`) and the
weekly rates per group and price year (`benefit_rates.csv`). The warehouse gets the full files
as dbt seeds. `TermsContext` is the validation context the models' validators read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

from contracts.terms.issues import TermsError, TermsIssue

GROUPS_FILE = "benefit_groups.csv"
RATES_FILE = "benefit_rates.csv"

_RATE = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]{1,2})?\Z")
_YEAR = re.compile(r"[0-9]{4}\Z")


@dataclass(frozen=True)
class ReferenceData:
    groups: tuple[str, ...]  # in file order
    rates: Mapping[int, Mapping[str, Decimal]]  # price_year → benefit_group → DKK/week

    def rate(self, price_year: int, group: str) -> Decimal | None:
        return self.rates.get(price_year, {}).get(group)


@dataclass(frozen=True)
class TermsFile:
    """The file a contract's terms were read from."""

    path: Path
    sha256: str  # SHA-256 (hex) of the file's bytes
    text: str  # the file's text, as read


@dataclass(frozen=True)
class TermsContext:
    """The validation context of one terms file (`ContractTerms.from_document` builds it).

    `follow_up_years` is the file's `follow_up.years` when that field is valid, read before the
    rest because every year and week limit depends on it (None: those limits are not checked).
    """

    reference: ReferenceData
    follow_up_years: int | None = None
    file: TermsFile | None = None


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise TermsError([TermsIssue(path.name, "(file)", f"the reference file {path}")])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise TermsError(
                [TermsIssue(path.name, "(header)", "the columns " + ", ".join(columns),
                            "a header without " + ", ".join(missing))]
            )
        # line numbers as in the file: the header is line 1
        return [(i, row) for i, row in enumerate(reader, start=2)]


def load_reference(reference_dir: Path) -> ReferenceData:
    """Read benefit groups and weekly rates; raises `TermsError` when they are unusable."""
    reference_dir = Path(reference_dir)
    issues: list[TermsIssue] = []

    groups: list[str] = []
    for line, row in _read_csv(reference_dir / GROUPS_FILE, ("benefit_group",)):
        group = (row["benefit_group"] or "").strip()
        if not group or group in groups:
            issues.append(TermsIssue(GROUPS_FILE, f"line {line}.benefit_group",
                                     "a non-empty group name, once per file", repr(group)))
        else:
            groups.append(group)

    rates: dict[int, dict[str, Decimal]] = {}
    for line, row in _read_csv(reference_dir / RATES_FILE,
                               ("benefit_group", "price_year", "weekly_rate_dkk")):
        group = (row["benefit_group"] or "").strip()
        year_text = (row["price_year"] or "").strip()
        rate_text = (row["weekly_rate_dkk"] or "").strip()
        if not _YEAR.match(year_text):
            issues.append(TermsIssue(RATES_FILE, f"line {line}.price_year", "a four-digit year",
                                     repr(year_text)))
            continue
        try:
            rate = Decimal(rate_text) if _RATE.match(rate_text) else None
        except InvalidOperation:  # pragma: no cover - the pattern already excludes it
            rate = None
        if rate is None:
            issues.append(TermsIssue(RATES_FILE, f"line {line}.weekly_rate_dkk",
                                     "a decimal ≥ 0 with at most 2 decimals", repr(rate_text)))
            continue
        year_rates = rates.setdefault(int(year_text), {})
        if group in year_rates:
            issues.append(TermsIssue(RATES_FILE, f"line {line}",
                                     "one rate per benefit group and price year",
                                     f"a second rate for {group} in {year_text}"))
        year_rates[group] = rate

    if issues:
        raise TermsError(issues)
    return ReferenceData(
        groups=tuple(groups),
        rates=MappingProxyType({y: MappingProxyType(r) for y, r in rates.items()}),
    )

"""What a user reads when terms cannot be used: one `TermsIssue` per problem, all in a `TermsError`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from contracts.terms.exact_yaml import UnreadableScalar


@dataclass(frozen=True)
class TermsIssue:
    """One thing wrong in a terms (or reference) file."""

    file: str
    field: str  # dotted path, list positions from 0: `payment.outcomes[1].requires`
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}: {self.field}: expected {self.expected}"
        return text if self.got is None else f"{text}; got {self.got}"


class TermsError(Exception):
    """Contract terms that cannot be used; raised before any run. Lists every problem found."""

    def __init__(self, issues: list[TermsIssue]):
        self.issues = tuple(issues)
        if len(issues) == 1:
            message = f"invalid contract terms: {issues[0]}"
        else:
            lines = "\n".join(f"  - {issue}" for issue in issues)
            message = f"invalid contract terms ({len(issues)} problems):\n{lines}"
        super().__init__(message)


def describe(value: object) -> str:
    """How a YAML value is shown after `got` in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off/true/false as a yes-or-no value)"
    if isinstance(value, (Decimal, int)):
        return f"the number {value}"
    if isinstance(value, UnreadableScalar):
        if value.kind == "date":
            return f"{value.text!r} (not a valid date, or with a time of day)"
        return f"{value.text!r} (not plain decimal notation)"
    if isinstance(value, datetime):
        return f"{value.isoformat()} (a date with a time)"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        if re.fullmatch(r"\s*[-+]?[0-9][0-9_.,:eE+-]*\s*", value):
            return f"the text {value!r} (numbers and dates are written without quotes)"
        return f"the text {value!r}"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)}" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{value!r}"  # pragma: no cover - YAML yields nothing else through the safe loader

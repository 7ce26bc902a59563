"""The validated contract terms: frozen dataclasses mirroring the terms YAML (`contracts.md`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

WEEK_STATUSES = ("self_supporting", "partial", "public_support")
YEAR_STATUSES = ("full", "partial", "none")
MECHANISMS = ("savings_share", "rate_card", "cohort_target")
OUTCOME_KINDS = ("streak", "year_status")
BELOW_TARGET = ("nothing", "pro_rata")

DEFAULT_SELF_SUPPORTING_GROUPS = ("none", "education", "leave")
DEFAULT_PARTIAL_GROUPS: tuple[str, ...] = ()
DEFAULT_STREAK_STATUSES = ("self_supporting",)


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


@dataclass(frozen=True)
class Parties:
    payer: str
    investor: str
    provider: str


@dataclass(frozen=True)
class Cohort:
    start_from: date  # inclusive
    start_to: date  # inclusive
    max_participants: int | None


@dataclass(frozen=True)
class FollowUp:
    years: int


@dataclass(frozen=True)
class OutcomeRules:
    self_supporting_groups: tuple[str, ...]  # defaults applied
    partial_groups: tuple[str, ...]  # defaults applied
    employment_hours_per_month: Decimal | None
    full_weeks: int
    partial_weeks: int


@dataclass(frozen=True)
class Valuation:
    price_year: int
    weekly_rates: Mapping[str, Decimal]  # the overrides as written in the terms


@dataclass(frozen=True)
class Budget:
    payment_account: str | None


@dataclass(frozen=True)
class Baseline:
    factors: tuple[Decimal, ...]  # factors[k - 1] is the factor of follow-up year k

    def factor(self, follow_up_year: int) -> Decimal:
        return self.factors[follow_up_year - 1]


@dataclass(frozen=True)
class SavingsShare:
    mechanism: ClassVar[str] = "savings_share"
    baseline: Baseline
    count_savings_when: tuple[str, ...] | None  # None: every complete year counts
    outlay: Decimal
    investor_share: Decimal
    cap: Decimal | None


@dataclass(frozen=True)
class RateCardOutcome:
    id: str
    kind: str  # streak | year_status
    price: Decimal
    statuses: tuple[str, ...]  # streak: week statuses (default applied); year_status: year statuses
    requires: str | None
    weeks: int | None = None  # streak only
    within_weeks: int | None = None  # streak only, optional
    years: tuple[int, ...] = ()  # year_status only


@dataclass(frozen=True)
class RateCard:
    mechanism: ClassVar[str] = "rate_card"
    outcomes: tuple[RateCardOutcome, ...]
    cap_per_participant: Decimal | None
    cap_total: Decimal | None

    def outcome(self, outcome_id: str) -> RateCardOutcome:
        return next(o for o in self.outcomes if o.id == outcome_id)


@dataclass(frozen=True)
class CohortTarget:
    mechanism: ClassVar[str] = "cohort_target"
    year: int
    statuses: tuple[str, ...]
    target_share: Decimal
    amount: Decimal
    below_target: str  # nothing | pro_rata


Payment = SavingsShare | RateCard | CohortTarget


@dataclass(frozen=True)
class ContractTerms:
    """One contract's validated terms, with defaults applied and the file it came from."""

    id: str
    name: str
    parties: Parties
    cohort: Cohort
    follow_up: FollowUp
    outcome: OutcomeRules
    valuation: Valuation
    budget: Budget
    payment: Payment
    weekly_rates: Mapping[str, Decimal]  # resolved: every benefit group → DKK/week
    path: Path
    terms_sha256: str  # SHA-256 (hex) of the file's bytes
    terms_yaml: str  # the file's text, as read

    @property
    def mechanism(self) -> str:
        return self.payment.mechanism

    @property
    def uses_employment_hours(self) -> bool:
        return self.outcome.employment_hours_per_month is not None

    @property
    def has_baseline(self) -> bool:
        return isinstance(self.payment, SavingsShare)

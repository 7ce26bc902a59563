"""What to generate: the configuration of a synthetic landing folder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from synthetic.weeks import add_months, month_end

DEFAULT_CONTRACTS = ("brondby-dsi-tuba", "impact60-aalborg", "jobcenter-rate-card")
PRE_PERIOD_WEEKS = 52


@dataclass(frozen=True)
class SyntheticConfig:
    """A synthetic population and its register extracts; the same config gives the same bytes.

    The simulated horizon is `weeks` ISO weeks from `first_week` (every benefit file starts
    there; without vintages the one benefit file holds exactly these columns). Start dates fall
    in `cohort_start … cohort_end` (default: from 52 weeks after `first_week`, so the pre-period
    is covered, until two weeks before the horizon ends, so monthly vintages keep adding
    starts); `early_start_share` of the participants start up to 26 weeks earlier, so their
    pre-period is not fully covered.
    """

    seed: int = 42
    participants: int = 200
    weeks: int = 160
    first_week: date = date(2022, 1, 3)
    #: Persons in the benefit and income registers who are never referred; None → 10%.
    non_participants: int | None = None
    contract_ids: tuple[str, ...] = DEFAULT_CONTRACTS
    cohort_start: date | None = None
    cohort_end: date | None = None
    #: Shares of the referred persons.
    not_started_share: float = 0.05
    two_contract_share: float = 0.03
    early_start_share: float = 0.03
    missing_in_benefit_share: float = 0.01
    #: How CPR numbers are written (per person and source): hyphenated, or nine digits (share of
    #: the persons whose day is 01–09).
    hyphen_share: float = 0.15
    nine_digit_share: float = 0.4
    #: Participants per non-final benefit vintage whose latest weeks a later vintage corrects.
    benefit_correction_share: float = 0.02
    #: Wage lines corrected by a later report (`correction = R`).
    income_correction_share: float = 0.02
    #: Persons whose pay periods run from the 16th to the 15th (lines crossing a month end).
    crossing_period_share: float = 0.15
    #: Write the first referral file in Windows-1252 (its `jobcenter` column holds ø and å).
    referrals_cp1252: bool = False
    #: Add a `jobcenter` column to referral files (beyond the required ones; ingest ignores it).
    referral_extra_columns: bool = True
    benefit_line_end: str = "\r\n"
    income_line_end: str = "\n"
    referral_line_end: str = "\r\n"

    def __post_init__(self) -> None:
        if self.first_week.weekday() != 0:
            raise ValueError(f"first_week {self.first_week} is not a Monday")
        if self.participants < 1 or self.weeks < 1:
            raise ValueError("participants and weeks must be positive")
        if self.non_participants is not None and self.non_participants < 0:
            raise ValueError("non_participants must be ≥ 0")
        if self.participants + self.non_participant_count > 5_000_000:
            raise ValueError("at most 5,000,000 persons")
        if not self.contract_ids or len(set(self.contract_ids)) != len(self.contract_ids):
            raise ValueError("contract_ids must be non-empty and distinct")
        for name in (
            "not_started_share", "two_contract_share", "early_start_share",
            "missing_in_benefit_share", "hyphen_share", "nine_digit_share",
            "benefit_correction_share", "income_correction_share", "crossing_period_share",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie in 0 … 1")
        start, end = self.cohort_window
        if not self.first_week <= start <= end <= self.last_week:
            raise ValueError(
                f"cohort window {start} … {end} must lie within the covered weeks "
                f"{self.first_week} … {self.last_week} (more weeks, or set cohort_start/end)"
            )

    @property
    def non_participant_count(self) -> int:
        if self.non_participants is None:
            return round(0.1 * self.participants)
        return self.non_participants

    @property
    def last_week(self) -> date:
        """Monday of the last simulated week."""
        return self.first_week + timedelta(weeks=self.weeks - 1)

    @property
    def horizon_end(self) -> date:
        """Sunday of the last simulated week: the default (single) vintage's as-of date."""
        return self.last_week + timedelta(days=6)

    @property
    def cohort_window(self) -> tuple[date, date]:
        """Start dates of the regular participants (early starters lie before it)."""
        start = self.cohort_start or self.first_week + timedelta(weeks=PRE_PERIOD_WEEKS)
        if self.cohort_end is not None:
            return start, self.cohort_end
        return start, max(start, self.horizon_end - timedelta(weeks=2))

    def demo_vintages(self, months: int = 4) -> list[date]:
        """As-of dates of `months` consecutive monthly deliveries: the last month-ends that the
        horizon covers, oldest first."""
        last = add_months(self.horizon_end.replace(day=1), -1)
        if month_end(add_months(last, 1)) <= self.horizon_end:
            last = add_months(last, 1)
        return [month_end(add_months(last, -k)) for k in reversed(range(months))]

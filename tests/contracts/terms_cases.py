"""Helpers for the contract-terms tests: small valid terms, one per mechanism, and a loader.

The reference data is the product's own, the dbt seeds (benefit groups and rates).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from contracts.terms import ContractTerms, TermsError, load_terms_folder

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = ROOT / "dbt_project" / "seeds"
EXAMPLES_DIR = ROOT / "contracts" / "examples"

SAVINGS = textwrap.dedent("""\
    id: savings-test
    name: Savings test
    parties: {payer: Kommune, investor: Fund, provider: Provider}
    cohort:
      start_from: 2023-01-01
      start_to: 2024-06-30
      max_participants: 100
    follow_up:
      years: 3
    outcome:
      self_supporting_groups: [none, education, leave]
      partial_groups: [fleksjob]
      employment_hours_per_month: 40.08
      full_weeks: 26
      partial_weeks: 13
    valuation:
      price_year: 2024
      weekly_rates: {kontanthjaelp: 2844.46}
    budget:
      payment_account: "5.68.90"
    payment:
      mechanism: savings_share
      baseline: {factors: [1.0, 1.0, 1.0]}
      count_savings_when: [full, partial]
      outlay: 3200000.00
      investor_share: 0.5
      cap: 4500000.00
""")

RATE_CARD = textwrap.dedent("""\
    id: rate-card-test
    name: Rate card test
    parties: {payer: Kommune, investor: Fund, provider: Provider}
    cohort: {start_from: 2023-01-01, start_to: 2024-06-30}
    follow_up: {years: 3}
    outcome: {full_weeks: 26, partial_weeks: 13}
    valuation: {price_year: 2024}
    payment:
      mechanism: rate_card
      outcomes:
        - {id: job_entry_13w, kind: streak, weeks: 13, within_weeks: 78, price: 20000.00}
        - {id: sustained_26w, kind: streak, weeks: 26, within_weeks: 104,
           requires: job_entry_13w, price: 15000.00}
        - {id: self_supporting_year, kind: year_status, statuses: [full], years: [1, 2, 3],
           price: 30000.00}
      cap_per_participant: 60000.00
      cap_total: 2000000.00
""")

COHORT = textwrap.dedent("""\
    id: cohort-test
    name: Cohort test
    parties: {payer: Kommune, investor: Fund, provider: Provider}
    cohort: {start_from: 2023-01-01, start_to: 2024-06-30}
    follow_up: {years: 1}
    outcome: {full_weeks: 26, partial_weeks: 13}
    valuation: {price_year: 2024}
    payment:
      mechanism: cohort_target
      year: 1
      statuses: [full, partial]
      target_share: 0.5
      amount: 1500000.00
      below_target: pro_rata
""")

# Business cases (`forecast:`), the spec's Brøndby-shaped one and one per success-share mechanism.
SAVINGS_FORECAST = SAVINGS + textwrap.dedent("""\
    forecast:
      participants: 100
      savings_per_participant_year: [18333.33, 18333.33, 18333.34]
      savings_group: kontanthjaelp
      verification_lag_months: 3
""")
RATE_CARD_FORECAST = RATE_CARD + "forecast: {participants: 80, success_share: 0.25}\n"
COHORT_FORECAST = COHORT + "forecast: {participants: 84, success_share: 0.5}\n"

BASES = {"savings": SAVINGS, "rate_card": RATE_CARD, "cohort": COHORT,
         "savings_forecast": SAVINGS_FORECAST, "rate_card_forecast": RATE_CARD_FORECAST,
         "cohort_forecast": COHORT_FORECAST}


def edit(text: str, old: str, new: str) -> str:
    """`text` with `old` (which must occur exactly once) replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


class TermsFolder:
    """A terms folder under tmp_path; `load` validates it, `error` expects a `TermsError`."""

    def __init__(self, folder: Path, reference_dir: Path = REFERENCE_DIR):
        self.folder = folder
        self.reference_dir = reference_dir
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, text: str, name: str = "terms.yml") -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def load(self, text: str | None = None, name: str = "terms.yml") -> list[ContractTerms]:
        if text is not None:
            self.write(text, name)
        return load_terms_folder(self.folder, self.reference_dir)

    def load_one(self, text: str) -> ContractTerms:
        (terms,) = self.load(text)
        return terms

    def error(self, text: str | None = None, name: str = "terms.yml") -> TermsError:
        with pytest.raises(TermsError) as info:
            self.load(text, name)
        return info.value

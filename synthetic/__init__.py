"""Deterministic synthetic register extracts whose truth is known (demo, tests, benchmark).

`generate_extracts` writes a landing folder as the registers would deliver it; the `write_*`
helpers write small hand-made files for tests of single rules.
"""

from synthetic.config import SyntheticConfig
from synthetic.cpr import is_valid_cpr, normalise_cpr
from synthetic.generator import generate_extracts
from synthetic.manifest import SyntheticManifest
from synthetic.weeks import (
    benefit_file_name, coverage_month, coverage_week, income_file_name, iso_week_label,
    referral_file_name, week_column, week_columns, week_monday,
)
from synthetic.writers import (
    write_benefit_file, write_income_file, write_referrals_file,
)

__all__ = [
    "SyntheticConfig",
    "SyntheticManifest",
    "benefit_file_name",
    "coverage_month",
    "coverage_week",
    "generate_extracts",
    "income_file_name",
    "is_valid_cpr",
    "iso_week_label",
    "normalise_cpr",
    "referral_file_name",
    "week_column",
    "week_columns",
    "week_monday",
    "write_benefit_file",
    "write_income_file",
    "write_referrals_file",
]

"""Contract terms: load and validate a terms folder, write the `raw.contract*` tables.

    contracts = load_terms_folder(Path("contracts/examples"), reference_dir)  # raises TermsError
    with duckdb.connect(warehouse) as con:
        write_terms_tables(con, contracts)

Modules: `exact_yaml` (YAML read without floats, duplicate keys remembered), `reference` (benefit
groups and rates; the validation context), `values` (the kinds of value, as annotated types),
`models` (the terms as pydantic models), `messages` (validation errors in the product's words),
`issues` (`TermsIssue`, `TermsError`), `loader` (files and folders), `tables` (the warehouse
tables). The user's reference is `docs/contract-terms.md`.
"""

from contracts.terms.issues import TermsError, TermsIssue
from contracts.terms.loader import load_terms_file, load_terms_folder, terms_files
from contracts.terms.models import (
    BELOW_TARGET,
    DEFAULT_PARTIAL_GROUPS,
    DEFAULT_SELF_SUPPORTING_GROUPS,
    DEFAULT_STREAK_STATUSES,
    DEFAULT_VERIFICATION_LAG_MONTHS,
    MECHANISMS,
    OUTCOME_KINDS,
    VALUATION_BASES,
    Baseline,
    Budget,
    Cohort,
    CohortTarget,
    ContractTerms,
    FollowUp,
    Forecast,
    OutcomeRules,
    Parties,
    Payment,
    RateCard,
    RateCardOutcome,
    SavingsShare,
    StreakOutcome,
    Valuation,
    YearStatusOutcome,
)
from contracts.terms.reference import ReferenceData, load_reference
from contracts.terms.tables import TABLES, create_terms_tables, terms_rows, write_terms_tables
from contracts.terms.values import WEEK_STATUSES, YEAR_STATUSES

__all__ = [
    "BELOW_TARGET",
    "DEFAULT_PARTIAL_GROUPS",
    "DEFAULT_SELF_SUPPORTING_GROUPS",
    "DEFAULT_STREAK_STATUSES",
    "DEFAULT_VERIFICATION_LAG_MONTHS",
    "MECHANISMS",
    "OUTCOME_KINDS",
    "TABLES",
    "VALUATION_BASES",
    "WEEK_STATUSES",
    "YEAR_STATUSES",
    "Baseline",
    "Budget",
    "Cohort",
    "CohortTarget",
    "ContractTerms",
    "FollowUp",
    "Forecast",
    "OutcomeRules",
    "Parties",
    "Payment",
    "RateCard",
    "RateCardOutcome",
    "ReferenceData",
    "SavingsShare",
    "StreakOutcome",
    "TermsError",
    "TermsIssue",
    "Valuation",
    "YearStatusOutcome",
    "create_terms_tables",
    "load_reference",
    "load_terms_file",
    "load_terms_folder",
    "terms_files",
    "terms_rows",
    "write_terms_tables",
]

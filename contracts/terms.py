"""Contract terms: load and validate the terms folder, write the `raw.contract*` tables.

The public face of the contract-terms room (`contracts.md`, `docs/contract-terms.md`):

    contracts = load_terms_folder(Path("contracts/terms"), reference_dir)
    with duckdb.connect(warehouse) as con:
        write_terms_tables(con, contracts)

The work is split over small modules: `terms_yaml` (exact YAML reading), `terms_reference`
(benefit groups and rates), `terms_schema` (validation), `terms_model` (the dataclasses),
`terms_loader` (files and folders) and `terms_tables` (the warehouse tables).
"""

from contracts.terms_loader import load_terms_file, load_terms_folder, terms_files
from contracts.terms_model import (
    BELOW_TARGET,
    DEFAULT_PARTIAL_GROUPS,
    DEFAULT_SELF_SUPPORTING_GROUPS,
    DEFAULT_STREAK_STATUSES,
    MECHANISMS,
    OUTCOME_KINDS,
    WEEK_STATUSES,
    YEAR_STATUSES,
    Baseline,
    Budget,
    Cohort,
    CohortTarget,
    ContractTerms,
    FollowUp,
    OutcomeRules,
    Parties,
    Payment,
    RateCard,
    RateCardOutcome,
    SavingsShare,
    TermsError,
    TermsIssue,
    Valuation,
)
from contracts.terms_reference import ReferenceData, load_reference
from contracts.terms_tables import TABLES, create_terms_tables, terms_rows, write_terms_tables

__all__ = [
    "BELOW_TARGET",
    "DEFAULT_PARTIAL_GROUPS",
    "DEFAULT_SELF_SUPPORTING_GROUPS",
    "DEFAULT_STREAK_STATUSES",
    "MECHANISMS",
    "OUTCOME_KINDS",
    "TABLES",
    "create_terms_tables",
    "WEEK_STATUSES",
    "YEAR_STATUSES",
    "Baseline",
    "Budget",
    "Cohort",
    "CohortTarget",
    "ContractTerms",
    "FollowUp",
    "OutcomeRules",
    "Parties",
    "Payment",
    "RateCard",
    "RateCardOutcome",
    "ReferenceData",
    "SavingsShare",
    "TermsError",
    "TermsIssue",
    "Valuation",
    "load_reference",
    "load_terms_file",
    "load_terms_folder",
    "terms_files",
    "terms_rows",
    "write_terms_tables",
]

"""pandera schemas for the three register extracts, and the quarantine they produce."""

from data_checks.benefits import BenefitSchema, BenefitWeekCodeSchema
from data_checks.income import IncomeSchema
from data_checks.quarantine import SchemaMismatch, quarantine_records
from data_checks.referrals import ReferralSchema

__all__ = [
    "BenefitSchema",
    "BenefitWeekCodeSchema",
    "IncomeSchema",
    "ReferralSchema",
    "SchemaMismatch",
    "quarantine_records",
]

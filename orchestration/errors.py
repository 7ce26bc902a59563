"""What the user is told: the product's own refusals.

Every refusal derives from `LedgerError`. The command line prints its message (exit status 1,
no traceback) and a Dagster step turns it into a `dagster.Failure` carrying the message. Any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations


class LedgerError(Exception):
    """Something the user must fix or decide; the message says what."""


class SettingRefused(LedgerError):
    """An option or environment variable cannot be used (names the variable and the value's problem)."""


class FolderRefused(LedgerError):
    """A landing, terms or warehouse folder is missing, unreadable or not what it should be."""


class MonthRefused(LedgerError):
    """The month may not be issued (not ended, or a later month is already issued)."""


class WarehouseInUse(LedgerError):
    """Another program holds the DuckDB file open."""


def user_errors() -> tuple[type[BaseException], ...]:
    """The exception classes whose message is written for the user: `LedgerError` and the
    refusals of the terms loader and the payment engine (imported here, when needed, so that the
    command line's instant refusals do not pay for those imports)."""
    from contracts.payments import StatementRefused
    from contracts.terms import TermsError

    return (LedgerError, StatementRefused, TermsError)

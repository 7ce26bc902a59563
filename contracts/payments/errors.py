"""Why a statement run stops."""

from __future__ import annotations


class StatementRefused(Exception):
    """The run issues nothing: an issued month's inputs differ, or a later month is issued.

    The orchestration layer turns this into exit status ≠ 0 with the message as printed.
    """

    def __init__(self, message: str, *, contracts: tuple[str, ...] = ()):
        super().__init__(message)
        self.contracts = contracts


class StatementNotReproducible(StatementRefused):
    """Identical recorded inputs, yet the recomputed statement differs from the issued one."""

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


class LadderShareMissing(StatementRefused):
    """A covered participant-week is a ladder week that no row of the refusion ladder values
    (financing, ladder week number, the week's Thursday): the run stops before any statement."""

    def __init__(self, message: str, *, weeks: tuple[tuple[str, int, object, int], ...]):
        super().__init__(message)
        self.weeks = weeks  # (financing, ladder week number, Thursday, participant-weeks)

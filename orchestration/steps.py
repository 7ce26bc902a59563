"""What every step of the monthly run shares: refusals as Dagster failures, progress lines.

A refusal (`orchestration.errors.user_errors()`) becomes a `dagster.Failure` whose description
is the refusal's message: the UI shows that message on the step, and the command line prints it.
Progress lines go to the step's Dagster log and to the `outcome_ledger.progress` logger, which
the command line prints as the run goes (a run started from the UI has no handler on it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

from orchestration.errors import user_errors

PROGRESS_LOGGER = "outcome_ledger.progress"
_progress = logging.getLogger(PROGRESS_LOGGER)


@contextmanager
def refusals_as_failures() -> Iterator[None]:
    try:
        yield
    except user_errors() as error:
        raise dg.Failure(description=str(error), allow_retries=False,
                         metadata={"refusal": dg.MetadataValue.text(type(error).__name__)}) from None


def report(context: dg.AssetExecutionContext, message: str) -> None:
    """One line of the run's progress."""
    context.log.info(message)
    _progress.info(message)

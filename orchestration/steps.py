"""What every step of the monthly run shares: refusals, progress lines.

A refusal (`orchestration.errors.user_errors()`) found *before the models are built* — by the
guard, the terms or the vintage selection — ends the run without failing it (`refusal`): the step
records the message as an observation of its asset (key `refusal`), logs it as an error, tags the
run `outcome-ledger/refused`, and yields no output, so every later step is skipped. Dagster then
resolves the dbt checks the run had planned as skipped, not as failed executions, and marks no
partition failed (docs/operations.md, "How a refusal shows in Dagster"). The command line reads the
observation and prints the message. A refusal found later (after the checks have really run)
becomes a `dagster.Failure` whose description is the message (`refusals_as_failures`).
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

REFUSED_TAG = "outcome-ledger/refused"
REFUSAL = "refusal"   # metadata key of a refusal's observation: the message


def refusal(context: dg.AssetExecutionContext, asset_key: dg.AssetKey, error: Exception) -> dg.AssetObservation:
    """Record a refusal of this step; the caller yields the result and returns without output."""
    message = str(error)
    context.log.error(message)
    context.instance.add_run_tags(context.run.run_id, {REFUSED_TAG: message[:200]})
    return dg.AssetObservation(asset_key=asset_key, partition=context.partition_key, metadata={
        REFUSAL: dg.MetadataValue.text(message), "refusal_kind": dg.MetadataValue.text(type(error).__name__)})


def refusal_of(events) -> str | None:
    """The message of the refusal recorded among a run's events, if any."""
    for event in events:
        if event.event_type == dg.DagsterEventType.ASSET_OBSERVATION:
            entry = event.asset_observation_data.asset_observation.metadata.get(REFUSAL)
            if entry is not None:
                return entry.value
    return None


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

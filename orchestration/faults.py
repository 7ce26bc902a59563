"""Fault injection for the crash tests: `OUTCOME_LEDGER_FAULT=<point>` kills the run's process
with SIGKILL when it reaches that point — as `kill -9` or a power cut would, with no chance to
clean up. Unset (always, in production), the points do nothing.

The points are the boundaries of every step of the monthly run and a moment inside each step
that writes (with its changes begun and not yet committed, or its file half-written):

    before:guard, after:<step>          step = guard, referrals, benefits, income, terms,
                                               vintages, dbt, statements, publish
    inside:<step>                       step = referrals, benefits, income (a file's load
                                               transaction), vintages, dbt (models being
                                               built), statements (statements, lines, budget
                                               entries, inputs and evidence inserted, not
                                               committed), publish (the new copy written, not
                                               yet in place)
"""

from __future__ import annotations

import os
import signal

from orchestration.errors import SettingRefused

FAULT_ENV = "OUTCOME_LEDGER_FAULT"

STEPS = ("guard", "referrals", "benefits", "income", "terms", "vintages", "dbt", "statements", "publish")
WRITING_STEPS = ("referrals", "benefits", "income", "vintages", "dbt", "statements", "publish")
POINTS = ("before:guard", *(f"after:{s}" for s in STEPS), *(f"inside:{s}" for s in WRITING_STEPS))


def fault_point(name: str) -> None:
    """Die here, at once, if the fault-injection variable names this point."""
    assert name in POINTS, name
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def check_fault_setting() -> None:
    value = os.environ.get(FAULT_ENV)
    if value and value not in POINTS:
        raise SettingRefused(f"{FAULT_ENV}={value!r} names no fault point; the points are: {', '.join(POINTS)}")

"""What a generation wrote, and the truth behind it, for tests and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from synthetic.config import SyntheticConfig


@dataclass(frozen=True, eq=False)
class SyntheticManifest:
    """Files written and ground truth.

    `participants`: one row per referral — contract_id, cpr (ten digits), referral_date,
    start_date (null: never starts), trajectory (`on_benefit`, `work`, `partial_work`, `relapse`,
    `education`, `fleksjob`, `leave`, `not_started`), start_week / exit_week / return_week
    (Mondays; exit = first week of the new state — for `partial_work` the first week of the job,
    benefits continuing; return = first week back on the baseline benefit), baseline_code,
    in_benefit_register, pre_period_covered (all 52 pre-period weeks lie in the benefit files).
    `benefit_corrections`: per delivered benefit file (its coverage_end week) the cells that
    differ from the final register — delivered_code vs final_code; any later file holds the
    final code. `income_corrections`: the corrected wage lines, the month their `R` lines are
    reported, the hours originally reported and the net hours after the correction.
    """

    landing: Path
    config: SyntheticConfig
    vintages: tuple[date, ...]
    referral_files: tuple[Path, ...]
    benefit_files: tuple[Path, ...]
    income_files: tuple[Path, ...]
    #: Every CPR number in any file, normalised to ten digits (participants and others).
    cprs: frozenset[str]
    #: Every CPR number as written in some file (ten digits, hyphenated or nine digits).
    cpr_forms: frozenset[str]
    participants: pl.DataFrame
    benefit_corrections: pl.DataFrame
    income_corrections: pl.DataFrame
    #: Earliest and latest start_date of any started referral.
    start_window: tuple[date, date]

    @property
    def files(self) -> tuple[Path, ...]:
        return self.referral_files + self.benefit_files + self.income_files

    def participant(self, cpr: str, contract_id: str | None = None) -> dict:
        """The truth row of one referral (the first when `contract_id` is not given)."""
        rows = self.participants.filter(pl.col("cpr") == cpr)
        if contract_id is not None:
            rows = rows.filter(pl.col("contract_id") == contract_id)
        if rows.is_empty():
            raise KeyError(cpr)
        return rows.row(0, named=True)

    def summary(self) -> str:
        counts = self.participants.group_by("trajectory").len().sort("trajectory")
        lines = [f"{len(self.files)} files under {self.landing} for vintages "
                 + ", ".join(v.isoformat() for v in self.vintages),
                 f"{self.participants.height} referrals, {len(self.cprs)} persons, "
                 f"starts {self.start_window[0]} … {self.start_window[1]}",
                 "trajectories: " + ", ".join(f"{t} {n}" for t, n in counts.iter_rows()),
                 f"benefit cells corrected by a later vintage: {self.benefit_corrections.height}; "
                 f"income lines corrected: {self.income_corrections.height}"]
        return "\n".join(lines)

"""A savings-share contract whose marts agree with its participant-weeks, for the trace summary and
the report: the expected baseline, actual cost and savings per participant and benefit group are
computed here, in Python, from the same weeks (outcomes.md, "Baseline and savings")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tests.audit.ledger import Ledger
from tests.payments.world import D, pk

SB = "sb"
REF, BEN = "referrals_2024-03-31.csv", "dream_2024W13.csv"
FACTOR = Decimal("1.05")
OUTLAY = Decimal("20000.00")


def terms(name: str = "Savings test") -> str:
    return (f"id: {SB}\nname: {name!r}\nparties: {{payer: Kommune, investor: Fond, provider: Leverandør}}\n"
            f"payment:\n  mechanism: savings_share\n  baseline: {{factors: [{FACTOR}]}}\n"
            f"  outlay: {OUTLAY}\n  investor_share: 0.5\n")


@dataclass(frozen=True)
class Participant:
    person: str
    referral_line: int
    benefit_line: int
    weekly: Decimal        # the cost of a kontanthjaelp week (dagpenge weeks cost 1000.00)
    pre_kontant: int       # pre-period weeks −51 … −52+pre_kontant on kontanthjaelp
    year_kontant: int      # the last year_kontant weeks of year 1 on kontanthjaelp

    def groups(self) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
        """Per group: (baseline, actual, savings) of follow-up year 1."""
        dag = Decimal("1000.00")
        pre = {"dagpenge": dag * (52 - self.pre_kontant), "kontanthjaelp": self.weekly * self.pre_kontant}
        actual = {"dagpenge": dag * (52 - self.year_kontant), "kontanthjaelp": self.weekly * self.year_kontant}
        out = {}
        for g in pre:
            baseline = (pre[g] * FACTOR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            out[g] = (baseline, actual[g], baseline - actual[g])
        return out

    def savings(self) -> Decimal:
        return sum((s for _, _, s in self.groups().values()), Decimal("0.00"))


def participants(n: int) -> list[Participant]:
    return [Participant(pk(100 + i), 3 + i, 10 + i, Decimal("333.33") + i, 12 + i % 7, 26 - i % 11)
            for i in range(n)]


def savings_contract(w: Ledger, n: int, *, name: str = "Savings test") -> list[Participant]:
    """A savings-share contract of `n` participants with one complete follow-up year, for 2024-03."""
    w.contract(SB, "savings_share", terms=terms(name), follow_up_years=1, outlay_dkk=OUTLAY,
               investor_share=D("0.5"))
    w.load("2024-03", "referrals", 11, REF, date(2024, 3, 31))
    w.load("2024-03", "benefits", 12, BEN, date(2024, 3, 31))
    people = participants(n)
    for p in people:
        w.referral(11, REF, p.referral_line, SB, p.person)
        w.participant(SB, p.person, baseline_complete=True)
        w.full_weeks(SB, p.person, BEN, p.benefit_line)
        w.con.execute(
            "UPDATE marts.fct_participant_weeks SET benefit_group = 'kontanthjaelp', cost_dkk = ? "
            "WHERE contract_id = ? AND person_key = ? AND (follow_up_week <= -52 + ? OR follow_up_week > 52 - ?)",
            [p.weekly, SB, p.person, p.pre_kontant, p.year_kontant])
        groups = p.groups()
        w.year(SB, p.person, 1, "full", savings=str(p.savings()),
               baseline=str(sum((b for b, _, _ in groups.values()), Decimal("0.00"))))
        for g, (_, _, s) in groups.items():
            w.group_savings(SB, p.person, 1, g, str(s))
    w.referral_vintage(REF)
    return people

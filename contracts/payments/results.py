"""What a statement run reports back to the orchestration layer (and the CLI summary)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from contracts.payments.money import format_amount


@dataclass(frozen=True)
class UnbookedAmount:
    """A non-zero budget amount without an entry (no account): listed in the statement's report."""

    kind: str  # payment | savings
    benefit_group: str | None
    amount_dkk: Decimal
    reason: str


@dataclass(frozen=True)
class StatementSummary:
    statement_id: str
    contract_id: str
    month: str
    status: str  # issued | unchanged
    line_count: int
    entitlement_to_date_dkk: Decimal
    lines_total_dkk: Decimal
    offset_brought_forward_dkk: Decimal
    amount_payable_dkk: Decimal
    offset_carried_forward_dkk: Decimal
    statement_sha256: str
    unbooked: tuple[UnbookedAmount, ...] = ()

    def describe(self) -> str:
        text = (
            f"{self.statement_id}: {self.status}, {self.line_count} line(s), "
            f"entitlement to date {format_amount(self.entitlement_to_date_dkk)}, "
            f"lines {format_amount(self.lines_total_dkk)}, "
            f"offset brought forward {format_amount(self.offset_brought_forward_dkk)}, "
            f"payable {format_amount(self.amount_payable_dkk)}, "
            f"offset carried forward {format_amount(self.offset_carried_forward_dkk)}"
        )
        for u in self.unbooked:
            group = f" ({u.benefit_group})" if u.benefit_group else ""
            text += f"\n  not booked: {u.kind}{group} {format_amount(u.amount_dkk)} — {u.reason}"
        return text


@dataclass(frozen=True)
class StatementRunResult:
    month: str
    statements: tuple[StatementSummary, ...]
    # contracts with earlier statements whose terms file is gone: they get no further statements
    contracts_without_terms: tuple[str, ...] = ()

    @property
    def issued(self) -> tuple[StatementSummary, ...]:
        return tuple(s for s in self.statements if s.status == "issued")

    @property
    def unchanged(self) -> tuple[StatementSummary, ...]:
        return tuple(s for s in self.statements if s.status == "unchanged")

    def describe(self) -> str:
        lines = [f"statements for {self.month}: {len(self.issued)} issued, {len(self.unchanged)} unchanged"]
        lines += [s.describe() for s in self.statements]
        for c in self.contracts_without_terms:
            lines.append(f"{c}: no terms file, no statement")
        return "\n".join(lines)

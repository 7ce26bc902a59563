"""The payment engine: entitlement to date, monthly statements, budget entries (`contracts.md`).

All payment logic is set-based DuckDB SQL run from Python (see `docs/payments.md`).

    from contracts.payments import RunInputs, issue_statements
    inputs = RunInputs.from_warehouse(con, month="2024-03", reference_dir=seeds_dir)
    result = issue_statements(con, month="2024-03", inputs=inputs, issued_at=datetime.now(UTC))
"""

from contracts.payments.errors import LadderShareMissing, StatementNotReproducible, StatementRefused
from contracts.payments.inputs import ContractInputs, ReferenceFile, RunInputs, SourceVintage, read_reference_dir
from contracts.payments.results import StatementRunResult, StatementSummary, UnbookedAmount
from contracts.payments.run import issue_statements, refuse_if_later_statements, refuse_if_unvalued_ladder_weeks
from contracts.payments.statements import statement_sha256, statement_text

__all__ = [
    "ContractInputs",
    "LadderShareMissing",
    "ReferenceFile",
    "RunInputs",
    "SourceVintage",
    "StatementNotReproducible",
    "StatementRefused",
    "StatementRunResult",
    "StatementSummary",
    "UnbookedAmount",
    "issue_statements",
    "refuse_if_later_statements",
    "refuse_if_unvalued_ladder_weeks",
    "read_reference_dir",
    "statement_sha256",
    "statement_text",
]

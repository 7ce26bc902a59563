"""The auditor's room: evidence kept per statement, the trace view and command (`docs/trace.md`).

    from orchestration.audit import record_evidence, print_trace
    issue_statements(con, month=month, ...)
    record_evidence(con, month)                 # right after, same connection
    print(print_trace(warehouse_path, "contract:2024-09", 3))            # the summary
    print(print_trace(warehouse_path, "contract:2024-09", 3, full=True))  # every evidence row
    html = render_report(warehouse_path, "contract:2024-09")
"""

from orchestration.audit.evidence import EvidenceResult, record_evidence
from orchestration.audit.report import build_report, render_report
from orchestration.audit.trace import TraceError, format_summary, format_trace, print_trace, write_trace

__all__ = [
    "EvidenceResult",
    "TraceError",
    "build_report",
    "format_summary",
    "format_trace",
    "print_trace",
    "record_evidence",
    "render_report",
    "write_trace",
]

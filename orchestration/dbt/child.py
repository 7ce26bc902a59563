"""`outcome-ledger-dbt`: dbt, tied to the run that started it.

dagster-dbt starts dbt as a subprocess. If the run's process is killed (`kill -9`), a plain
subprocess lives on as an orphan and keeps the DuckDB file open for the rest of its build, so
the next run could not open the warehouse. This launcher asks Linux to kill it when its parent
dies (`PR_SET_PDEATHSIG`), then becomes the environment's `dbt` (the setting survives `exec`).
Elsewhere it simply runs dbt.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def main() -> None:
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:   # the parent died before the request took effect
            sys.exit(1)
    dbt = Path(sys.executable).parent / "dbt"
    os.execv(dbt, [str(dbt), *sys.argv[1:]])


if __name__ == "__main__":
    main()

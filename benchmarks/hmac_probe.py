"""Probe: what the per-cell HMAC of the benefit-week insert costs, and what hashing once per
person would cost instead (the ingest benchmark's main finding).

    .venv/bin/python -m benchmarks.hmac_probe [--cells 22881720] [--persons 109039]

In an in-memory DuckDB with the settings the ingest uses (defaults), over `cells` rows of
ten-digit text drawn from `persons` distinct values (the shape of raw.benefit_weeks at 100k):
1. `person_key_sql` on every row (what `loader._insert_rows` does for raw.benefit_weeks);
2. `person_key_sql` on the distinct values, joined back (hash once per person);
3. no hash at all (the cost of materialising the rows).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BENCHMARK_KEY  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.hmac_probe")
    parser.add_argument("--cells", type=int, default=22_881_720)
    parser.add_argument("--persons", type=int, default=109_039)
    args = parser.parse_args(argv)

    import duckdb

    from orchestration.ingest.pseudonym import PseudonymKey, person_key_sql

    key = PseudonymKey(BENCHMARK_KEY.encode()).sql_parameters()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE cells AS SELECT lpad(CAST((i * 7919) % {args.persons} AS VARCHAR), 10, '0') AS cpr10, "
                f"i AS n FROM range({args.cells}) t(i)")
    timings = {}
    queries = {
        "HMAC per row": f"CREATE OR REPLACE TABLE out AS SELECT n, {person_key_sql('cpr10')} AS person_key FROM cells",
        "HMAC per distinct person, joined": (
            f"CREATE OR REPLACE TABLE out AS WITH k AS (SELECT cpr10, {person_key_sql('cpr10')} AS person_key "
            f"FROM (SELECT DISTINCT cpr10 FROM cells)) SELECT c.n, k.person_key FROM cells c JOIN k USING (cpr10)"),
        "no hash (copy)": "CREATE OR REPLACE TABLE out AS SELECT n, cpr10 AS person_key FROM cells",
    }
    for label, sql in queries.items():
        started = time.perf_counter()
        con.execute(sql, key if "$hmac" in sql else {})
        timings[label] = time.perf_counter() - started
        print(f"{timings[label]:7.2f} s  {label} ({args.cells:,} rows, {args.persons:,} persons)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

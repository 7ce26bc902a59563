"""`outcome-ledger demo`: synthetic extracts and the example contracts, run over several months.

The demo folder gets a copy of the example contract terms and its own warehouse; then, month by
month, the registers "deliver" that month's extracts into its landing folder (each later vintage
corrects earlier register weeks and income lines; one income line of the third month has an
impossible date, so the quarantine shows) and the month is run, so the statements show outcome
lines and adjustment lines. Everything in it is synthetic; it is rebuilt from scratch at every call.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from orchestration.clock import month_end
from orchestration.ingest.pseudonym import KEY_ENV, KEY_FILE_ENV
from orchestration.settings import REPOSITORY_ROOT, Settings

DEMO_MONTHS = ("2024-09", "2024-10", "2024-11", "2024-12")
DEMO_CONTRACT = "brondby-dsi-tuba"   # whose budget forecast the demo prints at the end
EXAMPLE_TERMS = REPOSITORY_ROOT / "contracts" / "examples"


def prepare_demo(folder: Path) -> Settings:
    """Write the demo's terms, empty its landing folder and warehouse; point the settings at them.
    The demo's key is `<folder>/pseudonym.key` unless a key is set in the environment."""
    folder = folder.resolve()
    for part in ("landing", "contracts", "warehouse"):
        shutil.rmtree(folder / part, ignore_errors=True)
    (folder / "contracts").mkdir(parents=True)
    for terms in sorted(EXAMPLE_TERMS.glob("*.yml")):
        shutil.copy2(terms, folder / "contracts" / terms.name)
    (folder / "landing").mkdir()
    if not os.environ.get(KEY_ENV):
        os.environ.setdefault(KEY_FILE_ENV, str(folder / "pseudonym.key"))   # this process only
    settings = Settings.from_environment(landing=folder / "landing", contracts=folder / "contracts",
                                         warehouse=folder / "warehouse" / "outcome_ledger.duckdb")
    print(f"Demo folder {folder}: {len(list((folder / 'contracts').glob('*.yml')))} example contracts; "
          f"synthetic extracts land month by month.")
    return settings


def deliver_month(landing: Path, month: str, *, with_a_bad_line: bool = False) -> list[Path]:
    """The registers deliver `month`'s extracts (as of its last day) into the landing folder."""
    from synthetic import SyntheticConfig, generate_extracts

    manifest = generate_extracts(landing, SyntheticConfig(), vintages=[month_end(month)])
    if with_a_bad_line:
        _add_impossible_date(manifest.income_files[-1])
    return list(manifest.files)


def _add_impossible_date(income_file: Path) -> None:
    """Copy the file's first data line with an impossible period end, keeping the trailer right."""
    lines = income_file.read_text(encoding="utf-8").splitlines()
    header, data, trailer = lines[0], lines[1:-1], lines[-1]
    assert trailer.startswith("#records;"), "the synthetic income files end with a trailer"
    fields = data[0].split(";")
    fields[header.split(";").index("period_end")] = income_file.stem.split("_")[1][:4] + "-02-30"
    data.append(";".join(fields))
    income_file.write_text("\n".join([header, *data, f"#records;{len(data)}"]) + "\n", encoding="utf-8")


def _print_budget(settings: Settings, contract_id: str) -> None:
    """The finance officer's answer: the Brøndby-style contract's budget forecast after the last month."""
    import duckdb

    from orchestration.budget import budget_report

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        print("\nWhat to budget - savings as negative and repayments as positive appropriations, "
              "per budget year (outcome-ledger budget):\n"
              + budget_report(con, contract=contract_id, month=DEMO_MONTHS[-1]))


def run_demo(folder: Path, *, verbose: bool = False) -> None:
    from orchestration.run import run_month

    settings = prepare_demo(folder)
    for number, month in enumerate(DEMO_MONTHS, start=1):
        files = deliver_month(settings.landing, month, with_a_bad_line=(number == 3))
        print(f"\n-- {month}: the registers deliver {', '.join(sorted(f.name for f in files))}")
        print(f"outcome-ledger run {month} (issue) — warehouse {settings.warehouse}", flush=True)
        run_month(settings, month, issue=True, verbose=verbose)
    _print_budget(settings, DEMO_CONTRACT)
    copy = settings.warehouse.with_name(settings.warehouse.stem + ".analyst.duckdb")
    key = "" if os.environ.get(KEY_ENV) else f"OUTCOME_LEDGER_KEY_FILE={os.environ.get(KEY_FILE_ENV)} "
    print(f"""
Warehouse: {settings.warehouse}
Analysts' read-only copy: {copy}
Next steps (see README.md):
  make dev      # the Dagster UI of this warehouse: its runs, assets and checks
  .venv/bin/outcome-ledger trace --warehouse {settings.warehouse} brondby-dsi-tuba:{DEMO_MONTHS[-1]} 1
  .venv/bin/outcome-ledger report --warehouse {settings.warehouse} jobcenter-rate-card:{DEMO_MONTHS[-1]}
  .venv/bin/outcome-ledger budget --warehouse {settings.warehouse} --contract {DEMO_CONTRACT}
  {key}.venv/bin/outcome-ledger run --month YYYY-MM --landing {settings.landing} --contracts {settings.contracts} --warehouse {settings.warehouse}""")

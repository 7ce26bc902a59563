# outcome-ledger — the commands of the README:
#   make demo   build the environment from uv.lock and run `outcome-ledger demo`
#   make test   build the environment from uv.lock and run the whole test suite
#   make test-fast  the inner loop: every test but those marked `integration` (real dbt builds and
#               Dagster runs: the end-to-end runs, the crash test, the outcome marts)
#   make dev    the Dagster UI of one warehouse (by default the demo's, after `make demo`)
# Needs only Python ≥ 3.11 and make: the pinned uv is installed into .tools/ on first use (an uv
# already on PATH is not used: the lock file is read by the version it was written with).

UV_VERSION := 0.13.9
PYTHON ?= python3
UV := $(CURDIR)/.tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
# Trust the machine's certificate store (a company proxy's CA is installed there, not in uv's own).
export UV_SYSTEM_CERTS ?= 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# `make dev` shows one warehouse, with its own Dagster instance (<warehouse folder>/dagster/).
# Point it at another one:
#   make dev WAREHOUSE=/data/ledger/outcome_ledger.duckdb LANDING=/data/landing \
#            CONTRACTS=/data/terms KEY_FILE=/secure/pseudonym.key PORT=3000
WAREHOUSE ?= demo/warehouse/outcome_ledger.duckdb
LANDING ?= demo/landing
CONTRACTS ?= demo/contracts
KEY_FILE ?= demo/pseudonym.key
PORT ?= 3000

.PHONY: env demo test test-fast test-crash dev clean

$(UV):
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

env: $(UV)
	$(UV) sync --frozen --quiet

demo: env
	$(UV) run --frozen outcome-ledger demo

test: env
	$(UV) run --frozen pytest

test-fast: env
	$(UV) run --frozen pytest -m "not integration"

# The crash test at every one of its kill points (the suite runs one per kind of writing step).
test-crash: env
	OUTCOME_LEDGER_CRASH_POINTS=all $(UV) run --frozen pytest tests/orchestration/test_crash.py

dev: env
	@test -f "$(WAREHOUSE)" || { echo "make dev: no warehouse at $(WAREHOUSE); run 'make demo' first, or give WAREHOUSE=... LANDING=... CONTRACTS=... KEY_FILE=... (README: Dagster UI)"; exit 1; }
	@export OUTCOME_LEDGER_WAREHOUSE="$(abspath $(WAREHOUSE))" OUTCOME_LEDGER_LANDING="$(abspath $(LANDING))" \
	        OUTCOME_LEDGER_CONTRACTS="$(abspath $(CONTRACTS))" OUTCOME_LEDGER_KEY_FILE="$(abspath $(KEY_FILE))"; \
	export DAGSTER_HOME="$$($(UV) run --frozen python -m orchestration.instance)" || exit 1; \
	echo "Dagster UI of $$OUTCOME_LEDGER_WAREHOUSE (its instance: $$DAGSTER_HOME) on http://127.0.0.1:$(PORT)"; \
	exec $(UV) run --frozen dagster dev --port $(PORT)

clean:
	rm -rf .venv .tools demo warehouse dbt_project/target dbt_project/logs

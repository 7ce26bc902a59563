# outcome-ledger — the two commands of the README:
#   make demo   build the environment from uv.lock and run `outcome-ledger demo`
#   make test   build the environment from uv.lock and run the whole test suite
# Needs only Python ≥ 3.11 and make: the pinned uv is installed into .tools/ on first use (an uv
# already on PATH is not used: the lock file is read by the version it was written with).

UV_VERSION := 0.13.9
PYTHON ?= python3
UV := $(CURDIR)/.tools/bin/uv
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export UV_PYTHON_DOWNLOADS := never
# Trust the machine's certificate store (a company proxy's CA is installed there, not in uv's own).
export UV_SYSTEM_CERTS ?= 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: env demo test dev clean

$(UV):
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

env: $(UV)
	$(UV) sync --frozen --quiet

demo: env
	$(UV) run --frozen outcome-ledger demo

test: env
	$(UV) run --frozen pytest

dev: env
	$(UV) run --frozen dagster dev

clean:
	rm -rf .venv .tools demo warehouse dbt_project/target dbt_project/logs

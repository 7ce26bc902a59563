# outcome-ledger — the two commands of the README:
#   make demo   build the environment from uv.lock and run `outcome-ledger demo`
#   make test   build the environment from uv.lock and run the whole test suite
# Needs only Python ≥ 3.11 and make: uv (pinned) is installed into .tools/ when it is missing.

UV_VERSION := 0.13.9
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export UV_PYTHON_DOWNLOADS := never

.PHONY: env demo test dev clean

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

env: $(UV)
	$(UV) sync --frozen

demo: env
	$(UV) run --frozen outcome-ledger demo

test: env
	$(UV) run --frozen pytest

dev: env
	$(UV) run --frozen dagster dev

clean:
	rm -rf .venv .tools demo warehouse dbt_project/target dbt_project/logs

# Premises — developer commands. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install demo run test test-postgres lint format typecheck check migration-reset bench

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install Premises with its development tools

demo: $(STAMP) ## Load the demo account and serve on http://127.0.0.1:8000 (SQLite under ./data)
	$(BIN)/premises demo
	$(BIN)/premises serve

run: $(STAMP) ## Serve without loading demo data
	$(BIN)/premises serve

test: $(STAMP) ## Run the whole test suite (SQLite; set PREMISES_TEST_DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest -q -n 2

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

check: lint test ## Everything CI runs on SQLite

migration-reset: $(STAMP) ## Regenerate the single initial migration from the models (pre-release only)
	./scripts/regenerate_initial_migration.sh

bench: ## Print how to run the benchmarks (docs/benchmarks.md has the full procedure and results)
	@echo "Benchmarks (see docs/benchmarks.md; needs wrk: apt-get install -y wrk):"
	@echo "  everything:          bench/run_all.sh   (4 databases, 10k and 1M, SQLite and PostgreSQL)"
	@echo "  or step by step:"
	@echo "  1. fill a database:  $(BIN)/python bench/generate.py --database-url sqlite:////tmp/bench/10k.sqlite3 \\"
	@echo "                         --work-orders 10000 --locations 200 --assets 2000 > /tmp/bench/10k.json"
	@echo "     (PostgreSQL: createdb first, then --database-url postgresql://postgres@127.0.0.1:5432/premises_bench_10k)"
	@echo "  2. measure:          $(BIN)/python bench/load.py --credentials /tmp/bench/10k.json --label 'SQLite 10k'"
	@echo "  3. query plan:       $(BIN)/python bench/explain.py --credentials /tmp/bench/10k.json"

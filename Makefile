# coinloop: `make play` and `make test` set everything up from a machine with only Python 3.11+.
# The interpreter the venv is made from: the first of the system's /usr/bin/python3 and the `python3` on
# PATH that is 3.11+ and can make a venv. The system's comes first because distributions build CPython
# with PGO and LTO while version managers' default builds (pyenv) leave them out: on this machine the
# simulator runs 1.12-1.15x faster on Debian's 3.11 than on pyenv's 3.11 (README, "Design"). Any other
# one: `make PYTHON=python3.12 play`.
PYTHON ?= $(or $(shell for p in /usr/bin/python3 python3; do $$p -c 'import sys, ensurepip, venv; \
	sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done),python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.stamp-run
STAMP_TEST := $(VENV)/.stamp-test
STAMP_MUTATION := $(VENV)/.stamp-mutation
PYTEST_ARGS ?=

.PHONY: play demo serve test lint bench soak soak-content mutation bytecode snapshots-update check clean

play: $(STAMP_RUN) bytecode
	$(BIN)/coinloop play

demo: $(STAMP_RUN) bytecode
	$(BIN)/coinloop demo

# The game in a browser; it prints the URL. `make serve SERVE_ARGS="--save NAME --port 8080"`.
SERVE_ARGS ?= --demo
serve: $(STAMP_RUN) bytecode
	$(BIN)/coinloop serve $(SERVE_ARGS)

# pytest-xdist with 4 workers on this 2-core machine: over a third of the tests' time is waiting (Pilot's
# idle polls, servers, browsers, subprocesses), which the extra workers overlap with the others' CPU
# (measured idle: 2 workers 355-370 s before the other changes; 3 workers 196 s, 4 workers 187 s; CPU the
# same). `make test TEST_WORKERS=auto` for one per core. PYTHONDONTWRITEBYTECODE is lifted for pytest only,
# so it caches the assertion-rewritten test modules (__pycache__, gitignored) instead of rewriting all of
# them again in every worker on every run (~3 s CPU each); `bytecode` compiles src for the CLI subprocesses.
TEST_WORKERS ?= 4
test: $(STAMP_TEST) lint bytecode
	$(BIN)/coinloop content check content
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -q $(PYTEST_ARGS)

# Contracts before tests (config in pyproject.toml): style, types (strict on core/ and save/), the layers
# (import-linter), no import cycle in src/ nor a save import the TUI may not make, no file in src/ over 400
# lines and no noqa / type: ignore without its reason (three small tests).
lint: $(STAMP_TEST)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -p no:xdist -p no:textual-snapshot -p no:hypothesispytest tests/unit/test_import_cycles.py tests/unit/test_imports.py \
		tests/unit/test_source_rules.py

bench: $(STAMP_TEST) bytecode
	$(BIN)/python -m tests.bench

# Long campaigns; `make test` runs small seeded samples of each.
# tests/soak/soak_*.py: kill -9 during creation, new-save races, refusals, the CLI fuzz and hostile
# single-event saves (one table).
# content: 10,000 fuzzed content cases, every single-value economy.toml edit through a Session.
soak: $(STAMP_TEST) bytecode soak-content
	$(BIN)/python -m tests.soak

soak-content: $(STAMP_TEST)
	$(BIN)/python -m tests.soak.content_fuzz --cases 10000
	$(BIN)/python -m tests.soak.economy_edits

# Mutation score of the coin-critical modules ([tool.mutmut] in pyproject.toml): slow, not part of
# `make test`. `make mutation MODULES="wallet/ economy/rules.py"` runs only those.
MODULES ?=
mutation: $(STAMP_MUTATION)
	$(BIN)/python -m tests.mutation $(MODULES)

# An editable install leaves src/ uncompiled, and with PYTHONDONTWRITEBYTECODE set (as on this
# workplace's machines) every start would compile coinloop from source again. compileall only
# rewrites files that changed, so this is quick on re-runs.
bytecode: $(STAMP_RUN)
	@$(BIN)/python -m compileall -q src

# Regenerate snapshot SVGs on purpose only, then look at every changed one before committing.
snapshots-update: $(STAMP_TEST)
	$(BIN)/python -m pytest -q tests/snapshots --snapshot-update

# Content valid, then the bundled economy against its targets (content/targets.toml) at a small sample:
# exit 1 on any target that fails (an "unsure" one, whose interval straddles the bound, does not fail).
CHECK_PLAYERS ?= 1000
check: $(STAMP_RUN)
	$(BIN)/coinloop content check content
	$(BIN)/coinloop simulate --players $(CHECK_PLAYERS) --workers 2 --targets content/targets.toml

$(VENV)/.stamp-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coinloop needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

# Re-running skips the install when pyproject.toml has not changed.
$(STAMP_RUN): pyproject.toml $(VENV)/.stamp-python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml $(VENV)/.stamp-python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

$(STAMP_MUTATION): $(STAMP_TEST)
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	touch $@

clean:
	rm -rf $(VENV) build src/*.egg-info mutants

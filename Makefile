# The two set-up commands of the README: `make run` and `make test`.
# Both install exactly the versions in requirements.lock (hashes checked); `make lock` upgrades it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# The suite must also pass with the system clock this many days ahead (`make test-future`).
FUTURE_DAYS ?= 400

.PHONY: run test test-future install lint lock bench bench-domain bench-slack clean

$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/helpbot run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/helpbot faq check
	$(BIN)/pytest

# The whole suite with the system clock moved ahead (SQLite only): no test may depend on the
# date. tests/run_in_future.py says why it preloads the libfaketime of the dev dependency.
test-future: $(STAMP)
	$(BIN)/python tests/run_in_future.py $(FUTURE_DAYS)

# Re-resolve every dependency to the newest allowed by pyproject.toml; review and commit the diff.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --upgrade --extra dev --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		--output-file $(LOCK) pyproject.toml
	rm -f $(STAMP)
	$(MAKE) install

bench: $(STAMP)
	$(BIN)/python benchmarks/matcher_bench.py

bench-domain: $(STAMP)
	$(BIN)/python benchmarks/domain_bench.py

bench-slack: $(STAMP)
	$(BIN)/python benchmarks/slack_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info

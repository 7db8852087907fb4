# The README's commands. Everything installs into .venv; nothing else on the machine is changed.
PY      ?= python3
VENV    := .venv
SOURCES ?= ../shared/sources
SRC_ARG := $(if $(wildcard $(SOURCES)),--sources $(SOURCES),)

.PHONY: site test check serve pdf bench mutation checks-matter
$(VENV)/.installed-%: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[$*]'
	touch $@

site: $(VENV)/.installed-test
	$(VENV)/bin/python build.py $(SRC_ARG)

check: $(VENV)/.installed-test
	$(VENV)/bin/python build.py check $(SRC_ARG) --strict

serve: $(VENV)/.installed-test
	$(VENV)/bin/python build.py serve $(SRC_ARG)

# The browser tests after the rest, alone on the machine (some of them time the page); the rest on every core.
test: $(VENV)/.installed-test,browser,pdf
	bash .ci/install-browser-deps
	$(VENV)/bin/python -m pytest -m "not browser"
	$(VENV)/bin/python -m pytest -m browser -n 0

pdf: $(VENV)/.installed-pdf
	$(VENV)/bin/python build.py $(SRC_ARG) --pdf

bench: $(VENV)/.installed-bench
	$(VENV)/bin/python bench/run.py --sources $(SOURCES)

# Hours on two cores: MUTANTS narrows it, e.g. make mutation MUTANTS='factsheet.write*'
MUTANTS ?=
mutation: $(VENV)/.installed-test,mutation
	$(VENV)/bin/mutmut run $(MUTANTS)
	$(VENV)/bin/mutmut results

# Each guarding check removed in turn from a copy of the project: the fast tests must fail every time (minutes).
checks-matter: $(VENV)/.installed-test
	$(VENV)/bin/python tests/remove_checks.py

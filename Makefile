# Two entry points: `make run` installs and starts the app; `make test` installs
# what the tests need (system packages included) and runs every check.

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui poppler-utils fonts-dejavu-core

.PHONY: run test check system-packages benchmark screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/appeals serve --host $(HOST) --port $(PORT)

system-packages:
	@if command -v chromium >/dev/null && command -v soffice >/dev/null \
	    && command -v pdftotext >/dev/null; then :; else \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); fi

test: system-packages $(VENV)/.installed-test
	$(VENV)/bin/ruff check appeals tests
	$(VENV)/bin/bandit -q -c pyproject.toml -r appeals
	$(PY) -m pytest

check: test
	$(VENV)/bin/pip-audit --skip-editable

benchmark: $(VENV)/.installed
	$(PY) -m appeals.benchmark > docs/benchmarks.md

screenshots: system-packages $(VENV)/.installed-test
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest tests/browser -q

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

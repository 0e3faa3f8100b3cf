# Newsroom: `make run` serves the demo site, `make test` runs every test.
# Both work on a fresh clone: they create .venv and install from the lock files.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# The newest Python 3.12+ on the PATH (pyenv reads .python-version: 3.13).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
# Some machines' pip configuration names local wheel folders that may not
# exist; pip warns about each one on every install. Keep real errors visible.
QUIET_PIP = 2>&1 | { grep -v "^WARNING: Location '.*' is ignored" || true; }
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format lock bench install install-dev browser varnish clean help

help:
	@echo "make run     create .venv, install, migrate, load demo content, serve http://$(HOST):$(PORT)"
	@echo "make test    install what the tests need and run the whole suite"
	@echo "make lint    ruff, ruff format --check, djLint, django-upgrade, makemigrations --check"
	@echo "make bench   run the benchmark scripts under bench/"
	@echo "make lock    re-pin requirements*.txt from pyproject.toml with pip-tools"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Newsroom needs Python 3.12 or newer (3.13 recommended); none was found on the PATH." >&2; \
	  echo "Found: $$(python3 --version 2>&1 || echo 'no python3')" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	set -o pipefail; $(PIP) install --quiet --upgrade pip $(QUIET_PIP)

$(VENV)/.installed: requirements.txt | $(PY)
	set -o pipefail; $(PIP) install --quiet -r requirements.txt $(QUIET_PIP)
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt | $(PY)
	set -o pipefail; $(PIP) install --quiet -r requirements-dev.txt $(QUIET_PIP)
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)."; fi; }

# The front-cache tests run a real varnishd with the xkey vmod (Debian's packages).
varnish:
	@{ command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ]; } && ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's varnish and varnish-modules for the front-cache tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules) >/dev/null; \
	  else echo "varnish is not installed: front-cache tests will be skipped (apt-get install varnish varnish-modules)."; fi; }

# The first `make run` writes a development .env (git-ignored): DEBUG on and a
# secret key of its own, so every manage.py command in the README works as
# written. An existing .env is never overwritten; the test settings never read it.
.env: | $(PY)
	@umask 077; printf '# Written by `make run` for development; see "Configuration" in the README.\nDEBUG=1\nSECRET_KEY=%s\n' \
	  "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env for development (DEBUG=1 and a new SECRET_KEY)."

run: install .env
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev browser varnish
	$(PY) -m pytest --numprocesses 2 $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	git ls-files -z -- '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version 6.1 >/dev/null
	$(PY) manage.py makemigrations --check --dry-run --settings=newsroom.settings.test

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

lock: $(PY)
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --output-file requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra dev --output-file requirements-dev.txt pyproject.toml

bench: install-dev
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

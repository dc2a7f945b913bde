# CivicShield — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PYTEST_WORKERS ?= 2
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install messages gettext wheel demo test test-sqlite test-postgres bench chromium java lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP) messages

# The public pages' message catalogues are compiled at build time (the .mo files are not kept in git).
gettext:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext >/dev/null; }

messages: $(STAMP) gettext
	@cd src/civicshield && DJANGO_SETTINGS_MODULE=civicshield.site.settings ../../$(BIN)/python -m django compilemessages -v 0

# A wheel that serves translated pages: the catalogues compiled first, then packaged with it.
wheel: messages
	$(BIN)/python -m pip wheel -q --no-deps -w dist .

chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# Spark (influence detection, the report and the sweep as batch jobs) runs on a Java 17 runtime.
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

demo: install
	$(BIN)/civicshield setup --demo-admin
	$(BIN)/civicshield simulate --seed 7 --days 3 --out var/demo-events.jsonl
	$(BIN)/civicshield ingest var/demo-events.jsonl
	@echo "Open http://127.0.0.1:8000/ (console: /console/, login admin / civicshield-demo)"
	$(BIN)/civicshield serve --host 127.0.0.1 --port 8000

test: install chromium java
	env -u DATABASE_URL $(MAKE) --no-print-directory test-sqlite
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then $(MAKE) --no-print-directory test-postgres; \
	 else echo "DATABASE_URL is not PostgreSQL: skipping the PostgreSQL pass"; fi

test-sqlite:
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q -p no:cacheprovider tests

test-postgres:
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q -p no:cacheprovider tests

lint: install
	$(BIN)/lint-imports pyproject.toml

bench: install chromium java
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m pip install -q -e '.[test,encoders]'
	$(BIN)/python bench/run.py

clean:
	rm -rf var .pytest_cache

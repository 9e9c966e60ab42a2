# wayhome: two commands on a fresh machine.
#   make demo   install into .venv, create a synthetic demo region, serve it on http://127.0.0.1:8000
#   make test   install and run every test (SQLite pass, then PostgreSQL/PostGIS pass)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PGHOST ?= 127.0.0.1
PGPORT ?= 5432
PGUSER ?= postgres
PGTESTDB ?= wayhome_test
export WAYHOME_DATA_DIR ?= $(CURDIR)/wayhome-data

.PHONY: sysdeps demo test install install-dev lint test-sqlite test-postgres pgdb messages clean

# PyICU (ICU transliteration for name matching) builds from source against the system's ICU.
sysdeps:
	@if ! pkg-config --exists icu-i18n 2>/dev/null || ! command -v g++ >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing libicu-dev, pkg-config and g++ (needed to build PyICU)"; \
	    apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null; \
	  else \
	    echo "error: PyICU needs ICU's headers: sudo apt-get install libicu-dev pkg-config g++"; exit 1; \
	  fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: sysdeps $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: sysdeps $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'

demo: install
	$(BIN)/wayhome demo

test: install-dev lint test-sqlite test-postgres

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test-sqlite:
	$(BIN)/python -m pytest -p no:cacheprovider

# A fresh database with PostGIS for every run; fails loudly when PostgreSQL is not reachable.
pgdb:
	@psql -h $(PGHOST) -p $(PGPORT) -U $(PGUSER) -d postgres -v ON_ERROR_STOP=1 -q \
	  -c "DROP DATABASE IF EXISTS $(PGTESTDB)" -c "CREATE DATABASE $(PGTESTDB)" \
	  || { echo "error: PostgreSQL is not reachable at $(PGHOST):$(PGPORT) as $(PGUSER)"; exit 1; }
	@psql -h $(PGHOST) -p $(PGPORT) -U $(PGUSER) -d $(PGTESTDB) -v ON_ERROR_STOP=1 -q \
	  -c "CREATE EXTENSION postgis" \
	  || { echo "error: PostGIS is missing: install postgresql-15-postgis-3"; exit 1; }

test-postgres: pgdb
	WAYHOME_TEST_DATABASE_URL=postgresql+psycopg://$(PGUSER)@$(PGHOST):$(PGPORT)/$(PGTESTDB) \
	  $(BIN)/python -m pytest -p no:cacheprovider

# Extract UI strings and update the catalogs (translators then edit the .po files).
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 --project=wayhome \
		--copyright-holder="wayhome contributors" -o src/wayhome/locale/messages.pot src/wayhome
	$(BIN)/pybabel update -i src/wayhome/locale/messages.pot -d src/wayhome/locale --no-fuzzy-matching \
		--ignore-obsolete

clean:
	rm -rf $(VENV) wayhome-data .pytest_cache .ruff_cache

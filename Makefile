# The two set-up commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers; the reference machine has 2 cores.
TEST_WORKERS ?= 2

.PHONY: demo test install install-dev messages compilemessages migrate seed run worker beat lint format clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

compilemessages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# Refresh the catalogue after changing strings (then translate the new entries).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale zh_Hans --ignore=.venv --ignore=tests --no-location --no-obsolete

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --scale small

demo: compilemessages seed
	@echo "Serving http://$(HOST):$(PORT)/  (demo logins above; emails land in tmp/emails/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev compilemessages
	$(PY) -m pytest -n $(TEST_WORKERS)

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A hangzhou_waijiao worker --loglevel INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A hangzhou_waijiao beat --loglevel INFO

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 tmp staticfiles .pytest_cache

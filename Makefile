# The two set-up commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers; the reference machine has 2 cores.
TEST_WORKERS ?= 2

.PHONY: demo test loadtest backup restore install install-dev messages compilemessages migrate seed run worker beat lint format clean

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

# Load test (issue 18; not part of `make test`): the city in PostgreSQL, gunicorn with production
# settings, wrk (apt-get install wrk). MODE=matching drives the mix during a city matching run.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hw_city
LOADTEST_REDIS_URL ?= redis://127.0.0.1:6379
MODE ?= web
LOADTEST_ARGS ?=
loadtest: $(VENV)/.installed compilemessages
	DJANGO_SETTINGS_MODULE=hangzhou_waijiao.settings.dev DJANGO_DEBUG=False \
	DATABASE_URL=$(LOADTEST_DATABASE_URL) \
	CELERY_BROKER_URL=$(LOADTEST_REDIS_URL)/13 CELERY_RESULT_BACKEND=$(LOADTEST_REDIS_URL)/14 \
	CACHE_URL=$(LOADTEST_REDIS_URL)/15 \
	$(PY) manage.py loadtest --mode $(MODE) $(LOADTEST_ARGS)

# Backups (README "Backups"): PostgreSQL only. `make backup` writes backups/<UTC time>/ (or
# BACKUP=folder); `make restore BACKUP=backups/… RESTORE_DATABASE=name` restores into a new database.
BACKUP ?=
RESTORE_DATABASE ?=
RESTORE_MEDIA_ROOT ?=
backup: $(VENV)/.installed
	$(PY) manage.py backup $(if $(BACKUP),--output $(BACKUP))

restore: $(VENV)/.installed
	@test -n "$(BACKUP)" -a -n "$(RESTORE_DATABASE)" || \
		{ echo "usage: make restore BACKUP=backups/<time> RESTORE_DATABASE=<new database>"; exit 2; }
	$(PY) manage.py restore $(BACKUP) --database $(RESTORE_DATABASE) \
		$(if $(RESTORE_MEDIA_ROOT),--media-root $(RESTORE_MEDIA_ROOT))

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

# Newsroom — two commands: `make run` and `make test`.
# Everything they need is installed here, into .venv, from pinned versions.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The site's address in development follows HOST and PORT (`make run PORT=8001`),
# so feeds, sitemaps, vCards, e-mailed links and the login hint point at the
# server that is running; a NEWSROOM_SITE_URL in the environment wins.
SITE_URL ?= $(or $(NEWSROOM_SITE_URL),http://$(HOST):$(PORT))
DEV      := DEBUG=1 NEWSROOM_SITE_URL=$(SITE_URL)

.PHONY: run worker test install install-dev migrate demo admin-user serve lint format check bench bench-alerts bench-medialists lighthouse clean browser validators procfile-check backup cluster-test

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Runtime dependencies, pinned by constraints.txt. The stamp is redone
# whenever pyproject.toml or the pins change.
$(VENV)/.installed: $(PY) pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# var/ holds the SQLite file and uploads; it is not in git, so a fresh clone lacks it.
migrate: install
	mkdir -p var
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_demo

admin-user: migrate
	$(DEV) $(PY) manage.py ensure_local_admin

## make run: set up everything and serve the newsroom with demo content,
## with a task worker beside it (e-mail alerts; they land in var/mail/).
## Ctrl-C stops both: the trap ends the worker when the server exits.
run: demo admin-user
	$(DEV) $(PY) manage.py alerts_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

## make worker: one task worker alone (django-tasks-db's db_worker, with the
## alerts' periodic sweep booked).  Run as many as you like, on any machine
## that reaches the database: they share one queue (SELECT … FOR UPDATE SKIP
## LOCKED).  `manage.py alerts_sweep` runs one sweep by hand (cron-safe).
worker: migrate
	$(DEV) $(PY) manage.py alerts_worker

## make test: set up and run the whole suite (SQLite unless DATABASE_URL is set).
## The real-browser tests (tests/browser, marker "browser") run in a second,
## single-process invocation: one Chromium and one live server, never shared
## between xdist workers.  PYTEST_ARGS is passed to both runs.
test: install-dev browser validators
	$(BIN)/pytest -m "not browser" -n 2 $(PYTEST_ARGS)
	$(BIN)/pytest -m browser -p no:xdist tests/browser $(PYTEST_ARGS)

## make validators: the Nu HTML Checker (vnu.jar, the W3C validator's engine),
## pinned, from the npm registry, run on Java; tests/public/test_validators.py
## crawls the demo newsroom through it.  Its install script (a Java download)
## is not run: the machine's Java is used.
VNU_VERSION ?= 26.9.27
VNU_JAR     := .tools/node_modules/vnu-jar/build/dist/vnu.jar
validators: $(VNU_JAR)
$(VNU_JAR):
	@command -v java >/dev/null || { apt-get update -qq && apt-get install -y -qq default-jre-headless; }
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	mkdir -p .tools
	npm install --prefix .tools --no-save --no-audit --no-fund --ignore-scripts --loglevel=error vnu-jar@$(VNU_VERSION)

## make browser: make sure Debian's Chromium is there for Playwright (we never
## run `playwright install`: no browser download from the internet).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Chromium missing at $(CHROMIUM): installing the Debian package"; \
	  apt-get update && apt-get install -y --no-install-recommends chromium; }

## make serve: production mode — collectstatic, migrate, then gunicorn with
## DEBUG off.  Needs SECRET_KEY and ALLOWED_HOSTS in the environment (see
## docs/SECURITY.md).  Plain-HTTP local trial: SECURE_SSL_REDIRECT=0
## SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 make serve
serve: install
	@test -n "$$SECRET_KEY" || { echo "make serve: SECRET_KEY is not set. Export a long random value, e.g." \
	  "export SECRET_KEY=\$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" >&2; exit 2; }
	@test -n "$$ALLOWED_HOSTS" || { echo "make serve: ALLOWED_HOSTS is not set." \
	  "Export the site's host names, comma-separated, e.g. export ALLOWED_HOSTS=news.example.org" >&2; exit 2; }
	DEBUG=0 $(PY) manage.py check --deploy --fail-level ERROR
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v 0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(BIN)/gunicorn -c gunicorn.conf.py newsroom.wsgi:application
# In production run the task workers beside gunicorn, as services of their own
# (systemd, one unit per worker), with the same environment:
#   DEBUG=0 .venv/bin/python manage.py alerts_worker
# and EMAIL_URL set (smtp://… or anymail://<provider>); see docs/ARCHITECTURE.md.

## make translations: refresh locale/<lang>/LC_MESSAGES/django.po from the
## templates and code (new strings arrive empty), then compile the .mo, which
## is committed so that a clean clone serves every language with no build
## step; tests/i18n/test_catalogue.py fails while a string is untranslated or
## the .mo is stale.  Needs GNU gettext (msgfmt).
.PHONY: translations
translations: install-dev
	$(DEV) $(PY) manage.py makemessages --all --no-obsolete -i '.venv/*' -i 'tests/*' -i 'bench/*' -i 'ops/*'
	$(DEV) $(PY) manage.py compilemessages --ignore '.venv/*'

## make lint: ruff, and the dependency rule between apps (import-linter
## contracts in pyproject.toml; docs/ARCHITECTURE.md explains them).
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# NEWSROOM_TESTING=1 gives the checks the development secret (DEBUG stays off).
check: install-dev
	NEWSROOM_TESTING=1 $(PY) manage.py check
	DEBUG=0 SECRET_KEY=check-deploy-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=news.example.org $(PY) manage.py check --deploy --fail-level WARNING
	NEWSROOM_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

## make bench: load BENCH_RELEASES (default 100,000) releases into the
## PostgreSQL database newsroom_bench, serve them with gunicorn (2 workers) and
## drive every public page with wrk; prints the table (docs/PERFORMANCE.md);
## then the release page with view counting off and on, without and with the
## page cache (Redis at BENCH_REACH_REDIS_URL; skipped if it does not answer).
## Then the media lists' bench (make bench-medialists, below).
bench: install
	@command -v wrk >/dev/null || { echo "wrk missing: installing the Debian package"; \
	  apt-get update && apt-get install -y wrk; }
	$(PY) bench/run.py
	$(PY) bench/medialists.py

## make bench-alerts: one release fanned out to BENCH_SUBSCRIBERS (default
## 50,000) subscribers through a real worker to a local SMTP sink, on
## PostgreSQL; prints messages per second and the worker's memory.
bench-alerts: install-dev
	$(PY) bench/alerts_fanout.py

## make bench-medialists: a BENCH_IMPORT_ROWS (default 20,000) row CSV import
## (time, peak memory) and a smart list over BENCH_PEOPLE (default 100,000)
## people (query time), on PostgreSQL (newsroom_medialists_bench).
bench-medialists: install-dev
	$(PY) bench/medialists.py

## make lighthouse: Lighthouse (npm, pinned in tools/lighthouse/) with Debian's
## Chromium and mobile emulation on the home page, a release with pictures and
## search results of the demo newsroom, served by gunicorn with DEBUG off from
## a database of its own (var/lighthouse/); prints scores, LCP, CLS and bytes
## per page, and updates the table in docs/PERFORMANCE.md (bench/lighthouse.py).
LIGHTHOUSE_DIR := tools/lighthouse
lighthouse: install browser $(LIGHTHOUSE_DIR)/node_modules/.installed
	CHROME_PATH=$(CHROMIUM) $(PY) bench/lighthouse.py
$(LIGHTHOUSE_DIR)/node_modules/.installed: $(LIGHTHOUSE_DIR)/package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	npm ci --prefix $(LIGHTHOUSE_DIR) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) var/newsroom.sqlite3* var/staticfiles .pytest_cache test-artifacts

## make procfile-check: the Procfile's processes (web, worker) are valid for
## honcho/foreman (docs/OPERATIONS.md).
procfile-check: install-dev
	$(BIN)/honcho check

## make backup DIR=/backups/2026-12-02: the database and every stored file, with
## a manifest (docs/OPERATIONS.md, "Backups and the restore drill").
backup: install
	@test -n "$(DIR)" || { echo "make backup: give the folder, e.g. make backup DIR=/backups/today" >&2; exit 2; }
	$(PY) manage.py backup $(DIR)

## make cluster-test: a PostgreSQL primary and streaming replica, Redis, an
## SMTP sink, two gunicorn nodes and two workers, all of its own on free ports
## (never the machine's 5432/6379), under a bounded load; injects five faults
## (replica lag, a worker killed mid-send, the primary restarted, Redis
## stopped, a node killed) and fails if a write or an alert was lost
## (ops/cluster_test.py; the table goes to docs/OPERATIONS-simulation.md).
cluster-test: install-dev
	$(PY) ops/cluster_test.py

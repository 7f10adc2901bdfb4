# The two commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `make test` runs the suite on this many processes (pytest-xdist); each has its own test
# database and Redis database. 0 runs it in one process. A file's tests run in one process
# (loadfile), the files with the most tests first: a module's rows are built once, and tests that
# share something outside the databases (the make-run tests and var/) never run at the same time.
# (loadgroup would group by mark, but with pytest 9.2 xdist's groups are silently ignored.)
PYTEST_WORKERS ?= 2

.PHONY: run test lint chromium install lock audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Dependencies come from the lock files (exact versions, with hashes), the project itself without
# them. Stamps record what is installed, so `make` reinstalls only when a lock changes.
$(VENV)/.installed-run: pyproject.toml requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

# pip-tools and pip-audit live in a venv of their own: their dependencies must not move the
# locked versions the app and the tests run on.
TOOLS := .venv-tools/bin
$(TOOLS)/python:
	$(PYTHON) -m venv .venv-tools
	$(TOOLS)/pip install --quiet --upgrade pip pip-tools pip-audit

LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	--no-emit-find-links

# After editing the dependencies in pyproject.toml (a test fails until the locks follow).
lock: | $(TOOLS)/python
	$(TOOLS)/pip-compile $(LOCK_FLAGS) -o requirements/base.lock pyproject.toml
	$(TOOLS)/pip-compile $(LOCK_FLAGS) --extra test -o requirements/test.lock pyproject.toml

# Known vulnerabilities in the locked dependencies. --strict: a package that could not be
# checked (advisory service unreachable) fails the audit rather than passing it unchecked.
audit: | $(TOOLS)/python
	$(TOOLS)/pip-audit --strict --disable-pip --progress-spinner off \
		-r requirements/base.lock -r requirements/test.lock

install: $(VENV)/.installed-run

# Web app and a Celery worker with embedded beat, together; Ctrl-C stops both, and so does TERM
# sent to the process group (a process manager, `timeout`, a container stopping). The trap is
# reset first and stops only the background worker: `kill 0` from inside it signalled the shell
# itself and re-entered the trap until the worker crashed. The worker runs its tasks in threads:
# a prefork pool's children and embedded beat's process take the group's TERM themselves, and
# the worker then hung at "beat: Shutting down" in about one stop out of three.
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	@echo "followup is starting on http://$(HOST):$(PORT)/ (emails are written to var/mail/)"
	@trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/celery -A config.celery_app worker --beat --loglevel INFO --pool threads --concurrency 2 \
		--schedule var/celerybeat-schedule & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests; installed only when missing and when we may.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py makemigrations --check --dry-run

test: $(VENV)/.installed-test chromium lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .venv-tools var staticfiles tests/artifacts

# fieldapp: `make demo` to try it, `make test` to run the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Django 6.1 needs Python 3.12 or newer: take the first such interpreter found.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: install demo serve test fuzz proof check lint typecheck messages translations clean restore-check prod-check

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "fieldapp needs Python 3.12 or newer (Django 6.1). Install it, or run: make PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

messages: install
	$(BIN)/python manage.py compiletranslations

# `make demo PORT=8001` serves it on another port.
PORT ?= 8000

demo: messages
	@$(BIN)/python manage.py port_check $(PORT)
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py demo_load
	@echo "fieldapp: http://127.0.0.1:$(PORT)  (Ctrl-C stops the web server, worker and beat)"
	DEMO_PORT=$(PORT) DEMO_REMINDER_SECONDS=60 $(BIN)/honcho -f deploy/Procfile.demo start

# The browser tests need Chromium, and the deployment tests nginx: found on the machine, or
# installed (tests/browser/chromium.py, tests/deploy/nginx_binary.py); CHROMIUM_INSTALL=0 and
# NGINX_INSTALL=0 forbid installing. Without one, one line says what to do and nothing runs.
test: messages
	@chromium="$$($(BIN)/python -m tests.browser.chromium)" || exit 1; \
	$(BIN)/python -m tests.deploy.nginx_binary >/dev/null || exit 1; \
	CHROMIUM_PATH="$$chromium" $(BIN)/python -m pytest $(PYTEST_ARGS)

# Restore the latest dump in BACKUP_DIR into a scratch database beside DATABASE_URL's, run the
# migrations check on it, count its rows, drop it (deploy/backup/restore-check.sh).
BACKUP_DIR ?= /srv/fieldapp/backups
restore-check: install
	BACKUP_DIR=$(BACKUP_DIR) FIELDAPP_PYTHON=$(BIN)/python deploy/backup/restore-check.sh

# What must hold before deploying: `check --deploy` with production settings, `nginx -t` on the
# shipped config, and the Compose file and Kubernetes manifests against their schemas.
prod-check: messages
	$(BIN)/python deploy/prod_check.py

# schemathesis over every API operation, as each role, with a fixed seed (FUZZ_SEED): the same
# test as in `make test`, with more examples per operation. Needs no server and no browser.
FUZZ_EXAMPLES ?= 40
fuzz: messages
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS) tests/api/test_schema_fuzz.py

# The proof suite (bench/README.md): load, scale-out and faults on the production stack
# (nginx, gunicorn, PostgreSQL, Redis, Celery, on servers of their own where a fault stops
# them), the attack tests, the fuzzer and the browser tests; then bench/RESULTS.md, every
# figure against its target. About 35 minutes on 2 busy CPUs; fails when a target is missed.
PROOF_DIR ?= var/proof
# Examples per API operation and role in the proof's fuzz run (`make fuzz` runs 40).
PROOF_FUZZ_EXAMPLES ?= 10
ATTACK_TESTS := tests/casework/test_access_matrix.py tests/fieldapp/test_csrf_every_route.py \
	tests/accounts/test_lockout.py tests/fieldapp/test_hostile_inputs.py \
	tests/fieldapp/test_list_filters_hostile_input.py tests/messaging/test_replies.py \
	tests/fieldapp/test_settings.py tests/fieldapp/test_database_unavailable.py
proof: messages
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
	@chromium="$$($(BIN)/python -m tests.browser.chromium)" || exit 1; \
	mkdir -p $(PROOF_DIR) && rm -f $(PROOF_DIR)/*.out $(PROOF_DIR)/*.err; status=0; \
	part() { name=$$1; shift; echo "proof: $$name"; \
		{ echo "load_before_$$name: $$(cut -d' ' -f1 /proc/loadavg)"; "$$@"; } \
			>$(PROOF_DIR)/$$name.out 2>$(PROOF_DIR)/$$name.err || { status=1; tail -n 30 $(PROOF_DIR)/$$name.err; }; }; \
	part load $(BIN)/python bench/load.py; \
	part scaleout $(BIN)/python bench/scaleout.py; \
	part faults $(BIN)/python bench/faults.py; \
	part attack $(BIN)/python -m pytest -q -p no:cacheprovider $(ATTACK_TESTS); \
	part fuzz env FUZZ_EXAMPLES=$(PROOF_FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider -m fuzz tests/api/test_schema_fuzz.py; \
	part browser env CHROMIUM_PATH="$$chromium" $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/browser tests/fieldapp/test_page_weight.py; \
	$(BIN)/python bench/results.py $(PROOF_DIR) > bench/RESULTS.md || status=1; \
	echo "proof: bench/RESULTS.md written"; exit $$status

check: lint typecheck
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy fieldapp services

# Refresh the catalogues after changing user-facing strings, then translate the new entries.
translations: install
	$(BIN)/python manage.py makemessages --ignore=.venv --ignore=tests --ignore=bench --no-obsolete \
		-l fr -l ar -l ps -l fa -l ckb -l ti -l am -l ur

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

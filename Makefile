# Two commands: `make run` (the platform with demo data) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
WEB_PORT ?= 8000
export WEB_PORT
# Some packages ship only as source and need an older setuptools to build (see the file).
export PIP_CONSTRAINT := $(CURDIR)/build-constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-fast bench loadtest install install-dev migrate lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt build-constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

migrate: install
	$(BIN)/python manage.py migrate --no-input

# The demo on a laptop: a webhook receiver on this machine (http://localhost:…) may be tested (README, Webhooks).
run: export WEBHOOK_ALLOW_PRIVATE_HOSTS ?= true
run: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Open http://127.0.0.1:$(WEB_PORT)/ and sign in with one of the accounts above (password: demo)."
	@echo "  Web server, Celery workers (default queue, webhooks) and beat run below, each restarted if it exits;"
	@echo "  Ctrl-C stops them all."
	@echo ""
	$(BIN)/honcho start -f Procfile

# Every core runs tests (pytest-xdist), a test file per worker at a time: a module's shared data (the demo copy,
# large orgs) is built once per file, and the tests that wait (real workers, the browser) overlap those that compute.
TEST_WORKERS ?= auto
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# Local runs: the unit and page tests on every core (pytest-xdist), without the real workers and the browser.
test-fast: install-dev
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder -m "not integration and not e2e" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var

bench: install-dev bench-reminders
	$(BIN)/python bench/org_selectors.py
	$(BIN)/python bench/hiring_comparison.py $(BENCH_CANDIDATES)
	$(BIN)/python bench/heatmap.py $(BENCH_PEOPLE)
	$(BIN)/python bench/people_sync.py
	$(BIN)/python bench/manager_impact.py $(BENCH_IMPACT_PEOPLE)

.PHONY: bench-reminders
bench-reminders: install-dev
	$(BIN)/python bench/reminder_sweep.py $(BENCH_SIZES)

# The load test (bench/loadtest.py): gunicorn under production settings on loopback, locust headless, 8 then 16
# users on the large org (seeded into the database when empty). Needs PostgreSQL:
#   make loadtest LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/enablement_loadtest
loadtest: install-dev
	DATABASE_URL=$(LOADTEST_DATABASE_URL) $(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

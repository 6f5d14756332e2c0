# Transversal: two commands on a fresh Debian machine with Python 3.11+.
#   make demo   installs, migrates, loads the demo data and serves http://127.0.0.1:8000
#               (with the background worker beside the server)
#   make test   installs what the tests need and runs the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# loadgroup: a module that builds one world for all its tests (crawlers) runs on one worker.
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: install demo serve test test-fast system-deps lint messages clean bench bench-smoke load

install: $(STAMP)

# Reinstalls only when the lock changes: a second `make install` takes a moment.
$(STAMP): requirements/dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/dev.txt
	@touch $(STAMP)

# Writes DATA_DIR/local.env (a generated secret, DEBUG=true) once; manage.py reads it, so the
# commands in the README work as written afterwards. A background worker (`manage.py worker`:
# reports, large imports) runs beside the server and stops with it. The server shows the site's
# own error pages (DEBUG_PAGES=false) and e-mailed links point at the port it serves on (PORT).
# load_demo fills the whole country (32 institutes, convenios, years of figures marked «dato
# sintético») through the services, in well under a minute; repeating it adds nothing.
demo: install
	$(BIN)/python -m transversal.core.env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Transversal en http://127.0.0.1:$(PORT)/  (Ctrl+C para detener)"
	$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) DEBUG_PAGES=false $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Chromium and the fonts the browser tests and PDF reports need (Debian packages).
system-deps:
	@scripts/system-deps

TEST_ENV := SECRET_KEY=test-only-not-secret DEBUG=false HTTPS=false

test: lint system-deps
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything but the crawlers, the concurrency run and the bench smoke: minutes, not a quarter hour.
test-fast: lint system-deps
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS) -m "not slow"

# Style, line length (100), formatting and the floor plan (docs/ARCHITECTURE.md); make test runs it first.
lint: install
	$(BIN)/ruff check transversal
	$(BIN)/ruff format --check transversal
	PYTHONPATH=. $(BIN)/lint-imports

# Regenerate the English catalogue after changing Spanish interface text (needs GNU gettext).
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l en --no-location --no-obsolete
	DEBUG=true $(BIN)/python manage.py compile_translations

# Benchmarks (docs/performance.md): fresh throwaway databases per size, results in bench-results/.
BENCH_SIZES ?= M L
BENCH_DBS ?= sqlite postgres
BENCH_RUNS ?= 20
BENCH_WARMUP ?= 3
bench: install
	BENCH_SIZES="$(BENCH_SIZES)" BENCH_DBS="$(BENCH_DBS)" BENCH_RUNS=$(BENCH_RUNS) BENCH_WARMUP=$(BENCH_WARMUP) scripts/bench

# Size S on both databases, few runs: CI runs it so the suite cannot rot.
bench-smoke: install
	BENCH_SIZES=S BENCH_DBS="sqlite postgres" BENCH_RUNS=3 BENCH_WARMUP=1 BENCH_OUT=bench-results/smoke scripts/bench

# gunicorn (production settings) on 127.0.0.1 with a throwaway SQLite database at size M: a
# closed loop (wrk, apt package wrk: 50 people pausing ~1 s) and an open loop (a fixed arrival
# rate), each after a warm-up, with CPU time per request and the machine's calibration
# (docs/performance.md). LOAD_DATA_DIR=dir keeps and reuses the generated database.
LOAD_SIZE ?= M
LOAD_DB ?= sqlite
LOAD_MODE ?= both
LOAD_SECONDS ?= 60
LOAD_CONNECTIONS ?= 50
LOAD_THINK_MS ?= 1000
LOAD_RATE ?= 40
LOAD_WORKERS ?= 4
LOAD_WORKER_CLASS ?= gthread
LOAD_PEOPLE ?= 50
LOAD_DATA_DIR ?=
load: install
	LOAD_SIZE=$(LOAD_SIZE) LOAD_DB=$(LOAD_DB) LOAD_MODE=$(LOAD_MODE) LOAD_SECONDS=$(LOAD_SECONDS) LOAD_CONNECTIONS=$(LOAD_CONNECTIONS) \
	LOAD_THINK_MS=$(LOAD_THINK_MS) LOAD_RATE=$(LOAD_RATE) LOAD_WORKERS=$(LOAD_WORKERS) LOAD_WORKER_CLASS=$(LOAD_WORKER_CLASS) LOAD_PEOPLE=$(LOAD_PEOPLE) \
	LOAD_DATA_DIR=$(LOAD_DATA_DIR) scripts/load

clean:
	rm -rf $(VENV) data test-artifacts

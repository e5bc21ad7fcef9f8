# Pompolit — the two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_ENV := POMPOLIT_DEMO=1 DJANGO_SETTINGS_MODULE=pompolit.settings.dev
# The demo's port on 127.0.0.1: `make demo PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: install demo serve test test-sqlite test-postgres lint check messages bench screenshots clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml verifier/pyproject.toml requirements/constraints.txt
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ./verifier -e '.[dev]'
	@touch $@

# Build the demo database (once: it is kept under var/) and serve it.
demo: install
	$(DEMO_ENV) $(BIN)/pompolit demo
	@echo
	@$(MAKE) --no-print-directory serve

# Serve the demo database `make demo` built, without printing the logins again. The background
# worker (docs/tasks.md) runs beside the web server and stops with it.
serve: install
	@echo "Serving on http://127.0.0.1:$(PORT), with the background worker — stop with Ctrl-C."
	@$(DEMO_ENV) $(BIN)/pompolit db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(BIN)/pompolit runserver 127.0.0.1:$(PORT)

# The whole suite on SQLite, then on PostgreSQL when one answers (in CI it must).
test: install
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL at $(PG_URL) is not reachable, and CI must test on it."; exit 1; \
	else \
		echo "PostgreSQL at $(PG_URL) is not reachable: skipped (CI always runs it)."; \
	fi

test-sqlite:
	@echo "== tests on SQLite"
	env -u POMPOLIT_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL"
	POMPOLIT_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

# lint-imports checks the layers (pyproject.toml, docs/architecture.md). The verifier's editable
# install hides its half of the `pompolit` namespace from static tools, hence its path.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy src verifier/src scripts/import_contracts.py
	PYTHONPATH=verifier/src:scripts $(BIN)/lint-imports

check: install
	DJANGO_SETTINGS_MODULE=pompolit.settings.dev $(BIN)/pompolit makemigrations --check --dry-run
	scripts/check_deploy.sh

messages: install
	cd src/pompolit && POMPOLIT_VAR_DIR=$(CURDIR)/var ../../$(BIN)/django-admin makemessages -l ru --no-obsolete \
		--settings=pompolit.settings.dev && POMPOLIT_VAR_DIR=$(CURDIR)/var ../../$(BIN)/django-admin compilemessages \
		--settings=pompolit.settings.dev

# Every page in English and Russian, from the demo data, into docs/screenshots/pages/
# (needs Debian's chromium); lists pages that fail, log errors or are left untranslated.
screenshots: install
	$(BIN)/python scripts/screenshots.py

bench: install
	$(BIN)/python bench/transparency_bench.py

clean:
	rm -rf $(VENV) var

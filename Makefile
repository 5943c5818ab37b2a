# Sanyan: two commands on a fresh machine.
#   make run   - virtual environment, requirements, warehouse (if missing), serve on SANYAN_HOST:SANYAN_PORT
#                with gunicorn, quietly; while no admin exists, first print the one-time address where it
#                is made (setup_admin.py); the last line is the address to open
#   make test  - the same set-up, then the whole test suite
#   make lint  - ruff's lint and format check (pyproject.toml); .ci/run runs it before the tests
#   make serve - production serving with gunicorn (docs/DEPLOY.md)
#   make readme-figures - the figures README.md quotes, measured and written in place (tools/readme_figures.py)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
WAREHOUSE := data/warehouse/eis.duckdb

.PHONY: run serve test lint venv warehouse build sample bench bench-national readme-figures clean

venv: $(VENV)/.installed

# pip's detail goes to .venv/install.log (shown when it fails), not to the console
$(VENV)/.installed: requirements.txt
	@echo "ติดตั้งไลบรารี / installing the requirements (details: $(VENV)/install.log) ..."
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --disable-pip-version-check --upgrade pip > $(VENV)/install.log 2>&1 \
	  && $(PY) -m pip install --disable-pip-version-check -r requirements.txt >> $(VENV)/install.log 2>&1 \
	  || { tail -n 30 $(VENV)/install.log; echo "ติดตั้งไม่สำเร็จ / install failed: $(VENV)/install.log"; exit 1; }
	@touch $@

# a progress bar and three lines; the table of every table's rows goes to data/warehouse/build.log
$(WAREHOUSE): | venv
	@$(PY) -m etl build --brief

warehouse: $(WAREHOUSE)

build: venv
	$(PY) -m etl build

sample: venv
	$(PY) -m etl sample

# gunicorn, quietly (two workers; warnings and errors only): the last line is the address to open
# (after the one-time setup address while no admin exists). `python app.py` is the development server.
run: venv warehouse
	@SANYAN_QUIET=1 SANYAN_WORKERS=$${SANYAN_WORKERS:-2} $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

# production serving: gunicorn, several workers (deploy/gunicorn.conf.py, docs/DEPLOY.md)
serve: venv warehouse
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

test: venv warehouse
	$(PY) -m pytest -q -n auto --maxprocesses=4

# the linter and the formatter's check (settings in pyproject.toml); `ruff format .` applies the format
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: venv warehouse
	$(PY) bench/etl_build.py
	$(PY) bench/cockpit.py
	$(PY) bench/gpp.py
	$(PY) bench/map.py
	$(PY) bench/refresh.py
	$(PY) bench/slides.py
	$(PY) bench/wire.py
	$(PY) bench/warm.py

# issue 10: the national-scale suite (generate ~5.2 M rows, build, callbacks, page loads, 5-minute load test)
bench-national: venv
	$(PY) bench/suite.py

# the README's figures (row counts, the build's time and size), measured here and written in place
readme-figures: venv warehouse
	$(PY) tools/readme_figures.py

clean:
	rm -rf $(VENV) data/warehouse data/.build

# Sanyan: two commands on a fresh machine.
#   make run   - virtual environment, requirements, warehouse (if missing), serve on SANYAN_HOST:SANYAN_PORT;
#                while no admin exists, first print the one-time address where it is made (setup_admin.py)
#   make test  - the same set-up, then the whole test suite
#   make lint  - ruff's lint and format check (pyproject.toml); .ci/run runs it before the tests
#   make serve - production serving with gunicorn (docs/DEPLOY.md)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
WAREHOUSE := data/warehouse/eis.duckdb

.PHONY: run serve test lint venv warehouse build sample bench bench-national clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(WAREHOUSE): | venv
	$(PY) -m etl build

warehouse: $(WAREHOUSE)

build: venv
	$(PY) -m etl build

sample: venv
	$(PY) -m etl sample

run: venv warehouse
	$(PY) app.py

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

clean:
	rm -rf $(VENV) data/warehouse data/.build

# The Pivot — the README's two commands are `make book` and `make test`; CI calls `make test`.
# Every target sets up what it needs first (a virtual environment in .venv), and is idempotent.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.deps.stamp
HTML   := _build/html/index.html

.PHONY: help deps browser-deps hub-deps book instructor strict serve lab hub hub-stop hub-links test test-fast lint format figures prose lock bench bench-hub clean handouts

help:
	@echo "make book   set up and build the book  -> $(HTML)"
	@echo "make instructor  build the instructor edition -> _build/instructor/html/index.html"
	@echo "make handouts    per part a learner handout and an answer key, HTML + PDF -> _build/handouts"
	@echo "make test   set up and run every test (unit, widgets, notebooks, book, browser)"
	@echo "make lab    set up and open the notebooks in JupyterLab (workshops)"
	@echo "make hub    set up and run a JupyterHub for a class on this machine (make hub-stop)"
	@echo "make serve  serve the built book on http://127.0.0.1:8000"
	@echo "make lint   ruff check + format check;  make figures  regenerate book figures"

deps: $(STAMP)

$(STAMP): requirements.txt requirements-lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c requirements-lock.txt
	touch $@

# Chromium for the browser tests: Debian's package (never a browser download by Playwright).
browser-deps:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing: browser tests will be skipped (sudo apt-get install chromium)"; fi

# configurable-http-proxy for `make hub` and its test: the version pinned in hub/package.json and
# hub/package-lock.json, from npm, into .hub/proxy/ (a dot folder: the book build skips it).
# Node.js and npm come from Debian when they are missing and you are root.
PROXY_DIR := .hub/proxy
PROXY     := $(PROXY_DIR)/node_modules/.bin/configurable-http-proxy

hub-deps: deps $(PROXY)

$(PROXY): hub/package.json hub/package-lock.json
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's nodejs and npm for configurable-http-proxy"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
	  node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || \
	    echo "warning: configurable-http-proxy 5.3 needs Node.js 20 or newer, this is $$(node --version)"; \
	  mkdir -p $(PROXY_DIR) && cp hub/package.json hub/package-lock.json $(PROXY_DIR)/ && \
	  cd $(PROXY_DIR) && npm ci --no-audit --no-fund --loglevel=error && \
	  touch node_modules/.bin/configurable-http-proxy; \
	else echo "npm is missing: make hub cannot start and its test is skipped (sudo apt-get install nodejs npm)"; fi

# jupyter-cache keys executed notebooks on their code cells only; when the package or the data
# change, the cached outputs are stale, so drop the cache.
CODE_STAMP := _build/.pivot-code.stamp
$(CODE_STAMP): $(shell find pivot data -name '*.py' -o -name '*.csv' 2>/dev/null)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

# Sphinx does not re-render pages when a template override or local extension changes.
THEME_STAMP := _build/.pivot-theme.stamp
$(THEME_STAMP): $(wildcard book/_templates/*.html book/_ext/*.py) _config.yml
	rm -rf _build/html _build/.doctrees _build/instructor
	mkdir -p _build && touch $@

# The learner edition (pivot/editions.py: _toc.yml without its "For instructors" part, every
# instructor note left out), as `jupyter-book build . -W -n --keep-going` would build it.
book: deps $(CODE_STAMP) $(THEME_STAMP)
	$(BIN)/python -m pivot.editions build learner

# The instructor edition: every page with its instructor notes, the guide, the schedules, all
# the notes on one page, the class view. It shares the learner build's execution cache.
instructor: deps $(CODE_STAMP) $(THEME_STAMP)
	$(BIN)/python -m pivot.editions build instructor

strict: book

serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

# JupyterLab on the learner's own, git-ignored copy of the notebooks (my-notebooks/, made on
# first run; later runs add new course notebooks and never touch the learner's): pivot/lab.py.
lab: deps
	$(BIN)/python -m pivot.lab

# A JupyterHub for a class on this machine (pivot/hub.py): a shared workshop password, each
# learner's own copy of the notebooks and workbook in the class folder; Ctrl-C stops it all.
# Loopback by default: `make hub HUB_IP=0.0.0.0 HUB_PORT=8000` to serve a room.
HUB_IP   ?= 127.0.0.1
HUB_PORT ?= 8800
HUB_IDLE_TIMEOUT ?= 3600
hub: hub-deps
	$(BIN)/python -m pivot.hub --ip $(HUB_IP) --port $(HUB_PORT) --idle-timeout $(HUB_IDLE_TIMEOUT)

hub-stop: deps
	$(BIN)/python -m pivot.hub stop

# nbgitpuller links for each part, for another hub: make hub-links HUB_URL=https://… REPO_URL=https://…
hub-links: deps
	$(BIN)/python -m pivot.hub links --hub "$(HUB_URL)" --repo "$(REPO_URL)"

# Two pytest-xdist workers (the machine this is planned for has two cores); the scheduler in
# tests/conftest.py keeps the book's tests, JupyterLab's tests, the JupyterHub test and each
# notebook's nbval cells on one worker each. hub-deps: the proxy the JupyterHub test starts.
test: deps browser-deps hub-deps
	$(BIN)/python -m pytest -n 2

test-fast: deps
	$(BIN)/python -m pytest -m "not book and not browser"

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

figures: deps
	$(BIN)/python tools/make_figures.py

# Write the numbers the notebooks compute and the author-year citations into their prose, so
# that JupyterLab shows them as the book does (tools/sync_prose.py; the tests check it).
prose: deps
	$(BIN)/python tools/sync_prose.py

lock: deps
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^pivot-course' > requirements-lock.txt

bench: deps
	$(BIN)/python bench/run.py

# JupyterHub with 1, 10 and 20 learners starting at once: start times and memory (bench/hub.py)
bench-hub: hub-deps
	$(BIN)/python bench/hub.py

clean:
	rm -rf _build .pytest_cache test-artifacts

# Workshop handouts: per part, a learner handout and an answer key, HTML and PDF (pivot/handouts.py)
handouts: deps browser-deps
	$(BIN)/python -m pivot.handouts --out _build/handouts

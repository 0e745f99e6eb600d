# casecenter — `make run` runs the demo on http://127.0.0.1:8000 (PORT=…, HOST=… to change it): the web
# server and the background worker, both stopped by one Ctrl-C. `make test` runs the whole suite.
# Both install what they need first: Debian packages (when missing), the Python virtualenv from
# the lock file, and the front-end libraries from npm's lock file.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export CASECENTER_HOME := $(CURDIR)

# Debian packages: CJK fonts for pages and PDFs, gettext for the message catalogues.
APT_RUN  := fonts-noto-cjk gettext
# and for the tests: Chromium driven by Playwright, poppler-utils to read the PDFs it prints.
APT_TEST := chromium poppler-utils

.PHONY: run test setup setup-test system-packages system-packages-test python python-test frontend \
        messages lint lint-imports check-migrations demo clean

# The demo places its live clocks relative to now when they are older than 12 hours (a restart the
# same day keeps them); `casecenter run` supervises gunicorn (`casecenter serve`) and
# `casecenter worker`, whose first deadline scan delivers the demo's alerts within the first minute.
run: setup
	CASECENTER_DEMO=1 $(BIN)/casecenter migrate --no-input -v 0
	CASECENTER_DEMO=1 $(BIN)/casecenter demo
	CASECENTER_DEMO=1 $(BIN)/casecenter run --bind $(HOST):$(PORT)

test: setup-test
	$(BIN)/pytest $(PYTEST_ARGS)

setup: system-packages python frontend messages
setup-test: system-packages-test python-test frontend messages

system-packages:
	@bash scripts/apt-ensure.sh $(APT_RUN)

system-packages-test:
	@bash scripts/apt-ensure.sh $(APT_RUN) $(APT_TEST)

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# The lock files pin every package with its hash; `uv pip sync` makes the virtualenv match exactly.
python: $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .

python-test: $(BIN)/uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements-test.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .

frontend: node_modules/.package-lock.json
	@node scripts/vendor.mjs

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

messages:
	@cd casecenter && ../$(BIN)/django-admin compilemessages --ignore '.venv' -v 0

lint: lint-imports
	$(BIN)/ruff check .

# The apps' layer order and deadlines' inner order: the contracts in pyproject.toml.
lint-imports:
	$(BIN)/lint-imports --no-cache

check-migrations:
	CASECENTER_DEBUG=1 $(BIN)/casecenter makemigrations --check --dry-run

demo:
	CASECENTER_DEMO=1 $(BIN)/casecenter demo

clean:
	rm -rf $(VENV) node_modules casecenter/web/static/vendor

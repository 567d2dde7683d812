# The whole set-up in two commands: `make demo` (install and build the demo site) and
# `make test` (install the test tools and run every test). Everything is pinned.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint serve system-deps npm-deps bench clean

demo: $(STAMP)
	$(BIN)/fanpage build
	@echo "Serve it with: $(BIN)/fanpage serve   (then open http://127.0.0.1:8000/)"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Debian packages the tests drive: Chromium (browser tests) and Java (the Nu Html Checker).
system-deps:
	@command -v chromium >/dev/null && command -v java >/dev/null || { \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) apt-get install -y -q --no-install-recommends chromium default-jre-headless fonts-dejavu-core; }

npm-deps: node_modules/.installed-stamp

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) system-deps npm-deps lint
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/fanpage serve

clean:
	rm -rf output test-artifacts .pytest_cache

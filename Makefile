# The whole set-up in two commands: `make demo` (install and build the demo site) and
# `make test` (install the test tools and run every test). Everything is pinned.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint serve system-deps npm-deps pds-deps bench clean

demo: $(STAMP)
	$(BIN)/fanpage build
	@echo "Serve it with: $(BIN)/fanpage serve   (then open http://127.0.0.1:8000/)"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

# Debian packages the tests drive: Chromium (browser tests), Java (the Nu Html Checker),
# rsync and OpenSSH (the rsync deploy target against an sshd on 127.0.0.1), npm (the PDS:
# only when the machine has none, since Debian's npm conflicts with a NodeSource nodejs).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v rsync >/dev/null || missing="$$missing rsync"; \
	command -v ssh >/dev/null || missing="$$missing openssh-client"; \
	[ -x /usr/sbin/sshd ] || missing="$$missing openssh-server"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

npm-deps: node_modules/.installed-stamp

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A real Bluesky PDS (@atproto/pds on the venv's Node 22) for the Bluesky tests.
pds-deps: $(STAMP) system-deps
	bash tests/pds/setup.sh $(VENV)

test: $(STAMP) system-deps npm-deps pds-deps lint
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/fanpage serve

clean:
	rm -rf output test-artifacts .pytest_cache

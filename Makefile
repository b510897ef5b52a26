# E-cabinet. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Pango for WeasyPrint (watermarks, minutes) and fonts with full Vietnamese coverage.
DEBIAN_RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation2 fonts-noto-core
DEBIAN_TEST_PACKAGES := $(DEBIAN_RUN_PACKAGES) chromium poppler-utils libnss3-tools softhsm2

.PHONY: run install install-test system-run-deps system-test-deps test test-fast lint e2e bench vendor lock clean

# Installs exactly the lock (requirements/*.txt: every package, direct and transitive, pinned
# with its hashes): nothing is resolved at install time, so a release published yesterday
# changes nothing here. `make lock` refreshes the lock on purpose (see README).
PIP_LOCKED := $(PY) -m pip install --quiet --require-hashes --no-deps
# The project itself, against the locked setuptools already in the venv.
PIP_PROJECT := $(PY) -m pip install --quiet --no-deps --no-build-isolation -e .

$(VENV)/.installed: requirements/run.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements/run.txt
	$(PIP_PROJECT)
	$(PY) -m pip check
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP_LOCKED) -r requirements/test.txt
	$(PY) -m pip check
	touch $@

install: $(VENV)/.installed system-run-deps

install-test: $(VENV)/.installed-test system-test-deps

# Installs the Debian packages in $(1) that are missing (nothing when all are there).
define debian_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

system-run-deps:
	$(call debian_install,$(DEBIAN_RUN_PACKAGES))

# Debian's Chromium for the browser tests (Playwright cannot download its own here) and
# poppler's pdfsig/pdftotext for checking generated PDFs.
system-test-deps:
	$(call debian_install,$(DEBIAN_TEST_PACKAGES))

run: install
	$(VENV)/bin/ecabinet init
	$(VENV)/bin/ecabinet demo
	@echo "E-cabinet: open http://$(HOST):$(PORT) and sign in with a login above"
	$(VENV)/bin/ecabinet serve --host $(HOST) --port $(PORT)

# Unit and integration tests run on both cores (pytest-xdist: each worker has servers and
# databases of its own); the fault and browser tests, which time real servers, one at a
# time. Each pytest fails on a failed test and on no test at all (exit 5).
XDIST := -n 2
test: install-test
	@status=0; \
	$(PY) -m pytest $(XDIST) --durations=10 tests/unit tests/integration || status=$$?; \
	$(PY) -m pytest --durations=10 tests/faults tests/e2e || status=$$?; \
	exit $$status

# Unit tests and the integration tests on SQLite, without the slow ones: a few minutes.
test-fast: install-test
	$(PY) -m pytest $(XDIST) tests/unit tests/integration -m "not postgres and not redis and not slow"

# The frontend's checkers (TypeScript as a type checker only, ESLint), exactly as
# package-lock.json pins them; nothing from node_modules reaches the browser.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: install-test node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	npx --no-install tsc --noEmit -p .
	npx --no-install eslint frontend/js

e2e: install-test
	$(PY) -m pytest tests/e2e

bench: install-test
	$(PY) -m bench $(BENCH_ARGS)

# Pinned browser libraries, fetched with `npm pack` (npm checks the registry's integrity hash)
# into a temporary directory; only the files the app loads stay, with LICENSE and VERSION.
SOCKET_IO_CLIENT_VERSION := 4.8.3
PDFJS_DIST_VERSION := 5.7.284
PERFECT_FREEHAND_VERSION := 1.2.3
# axe-core is for tests only: the accessibility checks of tests/e2e.
AXE_CORE_VERSION := 4.10.3

vendor:
	@set -euo pipefail; \
	tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	version=$(SOCKET_IO_CLIENT_VERSION); dest=frontend/vendor/socket.io-client; \
	mkdir -p "$$tmp/sio"; \
	( cd "$$tmp/sio" && npm pack --silent "socket.io-client@$$version" >/dev/null && tar -xzf "socket.io-client-$$version.tgz" ); \
	mkdir -p "$$dest"; \
	cp "$$tmp/sio/package/dist/socket.io.esm.min.js" "$$tmp/sio/package/LICENSE" "$$dest/"; \
	printf 'socket.io-client %s\nsource: npm pack socket.io-client@%s (package/dist/socket.io.esm.min.js, package/LICENSE)\nsha256 socket.io.esm.min.js: %s\n' \
		"$$version" "$$version" "$$(sha256sum "$$dest/socket.io.esm.min.js" | cut -d' ' -f1)" > "$$dest/VERSION"; \
	echo "vendored socket.io-client $$version into $$dest"; \
	version=$(PDFJS_DIST_VERSION); dest=frontend/vendor/pdfjs-dist; \
	mkdir -p "$$tmp/pdfjs"; \
	( cd "$$tmp/pdfjs" && npm pack --silent "pdfjs-dist@$$version" >/dev/null && tar -xzf "pdfjs-dist-$$version.tgz" ); \
	rm -rf "$$dest"; mkdir -p "$$dest"; \
	cp "$$tmp/pdfjs/package/build/pdf.min.mjs" "$$tmp/pdfjs/package/build/pdf.worker.min.mjs" \
		"$$tmp/pdfjs/package/web/pdf_viewer.css" "$$tmp/pdfjs/package/LICENSE" "$$dest/"; \
	{ printf 'pdfjs-dist %s\nsource: npm pack pdfjs-dist@%s (package/build/pdf.min.mjs, package/build/pdf.worker.min.mjs, package/web/pdf_viewer.css, package/LICENSE)\n' "$$version" "$$version"; \
	  for f in pdf.min.mjs pdf.worker.min.mjs pdf_viewer.css; do printf 'sha256 %s: %s\n' "$$f" "$$(sha256sum "$$dest/$$f" | cut -d' ' -f1)"; done; } > "$$dest/VERSION"; \
	echo "vendored pdfjs-dist $$version into $$dest"; \
	version=$(PERFECT_FREEHAND_VERSION); dest=frontend/vendor/perfect-freehand; \
	mkdir -p "$$tmp/pf"; \
	( cd "$$tmp/pf" && npm pack --silent "perfect-freehand@$$version" >/dev/null && tar -xzf "perfect-freehand-$$version.tgz" ); \
	rm -rf "$$dest"; mkdir -p "$$dest"; \
	cp "$$tmp/pf/package/dist/esm/index.mjs" "$$tmp/pf/package/LICENSE" "$$dest/"; \
	printf 'perfect-freehand %s\nsource: npm pack perfect-freehand@%s (package/dist/esm/index.mjs, package/LICENSE)\nsha256 index.mjs: %s\n' \
		"$$version" "$$version" "$$(sha256sum "$$dest/index.mjs" | cut -d' ' -f1)" > "$$dest/VERSION"; \
	echo "vendored perfect-freehand $$version into $$dest"; \
	version=$(AXE_CORE_VERSION); dest=tests/e2e/vendor/axe-core; \
	mkdir -p "$$tmp/axe"; \
	( cd "$$tmp/axe" && npm pack --silent "axe-core@$$version" >/dev/null && tar -xzf "axe-core-$$version.tgz" ); \
	rm -rf "$$dest"; mkdir -p "$$dest"; \
	cp "$$tmp/axe/package/axe.min.js" "$$tmp/axe/package/LICENSE" "$$dest/"; \
	printf 'axe-core %s\nsource: npm pack axe-core@%s (package/axe.min.js, package/LICENSE)\nsha256 axe.min.js: %s\n' \
		"$$version" "$$version" "$$(sha256sum "$$dest/axe.min.js" | cut -d' ' -f1)" > "$$dest/VERSION"; \
	echo "vendored axe-core $$version into $$dest"

# Refreshes requirements/*.txt on purpose: every package to its newest release within the
# ranges of pyproject.toml, with hashes. The lock lands only when CI passes on it (README).
# uv resolves; pip installs (`--require-hashes`), so installing needs nothing but pip.
UV_VERSION := 0.13.9
LOCK_VENV := .venv-lock
UV_COMPILE := $(LOCK_VENV)/bin/uv pip compile --quiet --upgrade --generate-hashes --universal --python-version 3.11

lock:
	test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"; }
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra test -o requirements/test.txt
	$(UV_COMPILE) pyproject.toml requirements/build.in -c requirements/test.txt -o requirements/run.txt
	@echo "lock refreshed: run 'make test lint' (CI must pass on it before it lands)"

clean:
	rm -rf $(VENV) $(LOCK_VENV) var .pytest_cache .mypy_cache .ruff_cache

# The Registry's developer verbs. `make run` and `make test` work on a fresh machine:
# each installs what is missing first (a Python venv in backend/.venv, node_modules in frontend/).

PYTHON ?= python3
VENV := backend/.venv
VPY := $(VENV)/bin/python
BACKEND_STAMP := $(VENV)/.installed
FRONTEND_STAMP := frontend/node_modules/.installed
SPA := frontend/dist/index.html

# The web app's API types and form validators are generated from the API's own descriptions,
# checked in as frontend/src/api/{openapi,subtypes}.json; tests fail when they are stale.
.PHONY: help install run migrate api-types build docs docs-serve image-check compose-check seed-demo bench bench-instructions test test-backend test-backend-sqlite test-backend-postgresql test-outage test-frontend test-e2e clean

help:
	@echo "make run    install what is missing, build the web app, migrate, serve on http://127.0.0.1:8000"
	@echo "make test   install what is missing, run every test (backend on SQLite and PostgreSQL, frontend, browser)"
	@echo "make docs   build the documentation site (strict: a broken link fails) into var/site/"
	@echo "make bench  seed 100,000 records (BENCH_RECORDS) and measure the app against its baselines (docs/performance.md)"
	@echo "make bench-instructions  instructions per request of the app and its driver baseline (valgrind), steady where req/s drift"
	@echo "other verbs: install build migrate seed-demo api-types docs-serve image-check compose-check"
	@echo "             test-backend test-backend-sqlite test-backend-postgresql test-outage test-frontend test-e2e clean"

install: $(BACKEND_STAMP) $(FRONTEND_STAMP)

$(BACKEND_STAMP): backend/pyproject.toml backend/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed (set PYTHON=/path/to/python3.11)")'
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check -c backend/constraints.txt -e 'backend[test]'
	touch $@

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

api-types: $(BACKEND_STAMP) $(FRONTEND_STAMP)
	$(VENV)/bin/registry openapi > frontend/src/api/openapi.json
	$(VENV)/bin/registry subtypes > frontend/src/api/subtypes.json
	cd frontend && npm run api:types

build: $(SPA)

$(SPA): $(FRONTEND_STAMP) $(shell find frontend/src frontend/index.html frontend/vite.config.ts -type f 2>/dev/null)
	cd frontend && npm run build

run: install build
	$(VENV)/bin/registry serve

migrate: $(BACKEND_STAMP)
	$(VENV)/bin/registry migrate

# Fills an empty registry with demo records, groups, users and files (refuses one that has records).
seed-demo: $(BACKEND_STAMP)
	$(VENV)/bin/registry seed-demo

# The documentation site (MkDocs, Material theme, offline): docs/*.md → var/site/. Strict, so a
# broken link, anchor or image fails; `make test` runs it.
MKDOCS := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
docs: $(BACKEND_STAMP)
	$(MKDOCS) build --strict -f docs/mkdocs/mkdocs.yml

docs-serve: $(BACKEND_STAMP)
	$(MKDOCS) serve -f docs/mkdocs/mkdocs.yml

# What backend/Dockerfile puts in the image, built and run without Docker (CI has no engine):
# the backend wheel and the web app bundle, served together as in the image.
image-check: $(BACKEND_STAMP) $(SPA)
	cd backend && .venv/bin/python tests/image_check.py

# docker-compose.yml is valid (needs the Docker client with Compose; no engine). .ci/run runs it
# where Docker is installed.
COMPOSE = $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || (command -v docker-compose >/dev/null 2>&1 && echo docker-compose))
compose-check:
	@test -n "$(COMPOSE)" || { echo "compose-check needs 'docker compose' or 'docker-compose'" >&2; exit 1; }
	REGISTRY_SECRET_KEY=check POSTGRES_PASSWORD=check $(COMPOSE) -f docker-compose.yml config --quiet

# The benchmark (docs/performance.md): PostgreSQL must be running; wrk comes from Debian's packages.
bench: $(BACKEND_STAMP)
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package) for the load generator"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	cd backend && .venv/bin/python bench/run.py

# Instructions per request of the app and of the driver baseline, counted by valgrind's callgrind:
# the same figures on a machine whose speed drifts between runs (docs/performance.md).
bench-instructions: $(BACKEND_STAMP)
	@command -v valgrind >/dev/null || { echo "Installing valgrind (Debian package) to count instructions"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
	cd backend && .venv/bin/python bench/instructions.py

test: install build docs image-check test-backend test-outage test-frontend test-e2e

test-backend: test-backend-sqlite test-backend-postgresql

test-backend-sqlite: $(BACKEND_STAMP) $(FRONTEND_STAMP)
	cd backend && REGISTRY_TEST_DATABASE=sqlite .venv/bin/pytest

test-backend-postgresql: $(BACKEND_STAMP) $(FRONTEND_STAMP)
	cd backend && REGISTRY_TEST_DATABASE=postgresql .venv/bin/pytest

# Stops and restarts the machine's PostgreSQL under load, so it runs on its own, after the suites.
test-outage: $(BACKEND_STAMP)
	cd backend && .venv/bin/pytest -q -s tests/outage_check.py

test-frontend: $(FRONTEND_STAMP)
	cd frontend && npm run typecheck && npm test

test-e2e: $(BACKEND_STAMP) $(SPA)
	cd backend && .venv/bin/python tests/with_server.py --database postgresql --oidc -- npm --prefix ../frontend run test:e2e

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var/site

# SIPD: `make run` starts everything on :8000, `make test` runs the whole suite.
# Both install what they need first and can be run again on the same machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHONWARNINGS ?= ignore

.PHONY: install broker browser run test test-unit test-services test-system bench docs clean

PORTAL := gateway/portal

install: $(VENV)/.installed $(PORTAL)/node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# The public portal's browser assets (Chart.js; axe-core for the accessibility test) from the npm registry,
# served by the gateway itself: no CDN at run time.
$(PORTAL)/node_modules/.installed: $(PORTAL)/package.json $(PORTAL)/package-lock.json
	npm ci --prefix $(PORTAL) --no-audit --no-fund --loglevel=error
	touch $@

# The portal's tests drive a real browser: Debian's Chromium (installed once, as root, where it is missing).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Nameko's test fixtures and the tests' own vhosts use the management API (port 15672).
# Where the broker runs on this machine, switch the plugin on (idempotent).
broker:
	@if command -v rabbitmq-plugins >/dev/null 2>&1 && [ -z "$$SIPD_SKIP_BROKER_SETUP" ]; then \
		rabbitmq-plugins --quiet enable rabbitmq_management >/dev/null; fi
	@$(PY) -m ops.broker wait

run: install broker
	$(PY) -m ops.run $(ARGS)

# Service tests run under eventlet (as Nameko does); system tests run plain, driving real processes over HTTP.
test: install broker browser
	$(PY) -m pytest services $(PYTEST_ARGS)
	$(PY) -m pytest -p no:pytest_nameko tests $(PYTEST_ARGS)

# The pure tiers: domain rules and use cases on an in-memory unit of work, the contracts, the import rules of
# the shape. No PostgreSQL, no RabbitMQ; about ten seconds (the fuzzers' plugins are not loaded).
UNIT_PLUGINS := -p no:schemathesis -p no:hypothesispytest
test-unit: install
	$(PY) -m pytest -q $(UNIT_PLUGINS) services/*/tests/unit services/*/tests/usecases $(PYTEST_ARGS)
	$(PY) -m pytest -q $(UNIT_PLUGINS) -p no:pytest_nameko tests/unit $(PYTEST_ARGS)

test-services: install broker
	$(PY) -m pytest services $(PYTEST_ARGS)

test-system: install broker browser
	$(PY) -m pytest -p no:pytest_nameko tests $(PYTEST_ARGS)

# BENCH names the benchmark module (bench/<BENCH>.py): make bench BENCH=penatausahaan ARGS="--duration 20"
BENCH ?= run
bench: install broker
	$(PY) -m bench.$(BENCH) $(ARGS)

docs: install
	$(PY) -m ops.docs

clean:
	rm -rf .run .pytest_cache

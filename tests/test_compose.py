"""compose/: the Docker Compose deployment, checked without a Docker engine.

The YAML is parsed and checked for what operators rely on: every service is
there, is scalable, has a healthcheck and starts in the right order; every
``${VAR}`` has a default or is documented in .env.example; the image builds
from requirements.txt as a non-root user; every module the containers run is
importable. Where the Compose plugin is installed, ``docker compose config -q``
validates the file against Compose's own schema as well.
"""
from __future__ import annotations

import importlib
import json
import importlib.util
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_DIR = ROOT / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
DOCKERFILE = COMPOSE_DIR / "Dockerfile"
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"

NAMEKO_SERVICES = {
    "referensi": "ReferensiService",
    "perencanaan": "PerencanaanService",
    "keuangan": "KeuanganService",
    "pemerintahan": "PemerintahanService",
}
LONG_RUNNING = ["postgres", "rabbitmq", *NAMEKO_SERVICES, "gateway"]
EXPECTED = [*LONG_RUNNING, "migrate"]
MIGRATE_STEPS = [
    "python -m sipd_common.dbsetup",
    "python -m sipd_common.migrations",
    "python -m services.referensi.seed",
    "python -m ops.broker setup",
]
# Read by Nameko from services/config.yaml: an empty value is taken verbatim, not as "unset".
NAMEKO_CONFIG_VARS = ["SIPD_AMQP_URI", "SIPD_MAX_WORKERS", "SIPD_PREFETCH_COUNT",
                      "SIPD_AMQP_HEARTBEAT", "SIPD_LOG_LEVEL"]

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, ${NAME?err}, ${NAME:+alt}, ${NAME+alt}
BRACED = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}")
BARE = re.compile(r"\$(?P<name>[A-Za-z_][A-Za-z0-9_]*)")


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def raw() -> str:
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(raw) -> dict:
    doc = yaml.safe_load(raw)  # resolves the anchors and `<<` merge keys, as Compose does
    assert isinstance(doc, dict) and isinstance(doc.get("services"), dict)
    return doc


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep, f".env.example: not NAME=value: {line!r}"
        values[name.strip()] = value.strip()
    return values


def _unescaped(text: str) -> str:
    """The text with Compose's `$$` escapes removed (they are literal dollars, not variables)."""
    return text.replace("$$", "")


def _interpolate(value, env: dict[str, str] | None = None):
    """Resolve ${VAR:-default} the way Compose does with an empty environment (plus ``env``)."""
    env = env or {}
    if not isinstance(value, str):
        return value

    def sub(m: re.Match) -> str:
        name, op, arg = m["name"], m["op"], m["arg"]
        current = env.get(name)
        if op == ":-":
            return current if current else arg
        if op == "-":
            return arg if current is None else current
        return current or ""

    return BRACED.sub(sub, value).replace("$$", "$")


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def _command(service: dict) -> list[str]:
    cmd = service.get("command")
    return shlex.split(cmd) if isinstance(cmd, str) else list(cmd or [])


def _depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):  # short syntax: no condition means service_started
        return {name: "service_started" for name in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def _published(service: dict) -> list[tuple[str | None, str]]:
    """(host port or None, container port) for each entry of ``ports``."""
    out = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            out.append((str(port["published"]) if port.get("published") else None, str(port["target"])))
            continue
        spec = _interpolate(str(port)).split("/")[0]
        parts = spec.rsplit(":", 2)
        out.append((parts[-2] if len(parts) >= 2 else None, parts[-1]))
    return out


def _healthcheck_cmd(service: dict) -> list[str]:
    test = (service.get("healthcheck") or {}).get("test")
    return [test] if isinstance(test, str) else list(test or [])


def _nameko_target(service: dict) -> tuple[str, str]:
    module, _, cls = _command(service)[-1].partition(":")
    return module, cls


# ---------------------------------------------------------------- services

def test_every_expected_service_exists(services):
    missing = [s for s in EXPECTED if s not in services]
    assert not missing, f"missing services: {missing}"


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_service_has_healthcheck_and_restarts(services, name):
    service = services[name]
    test = _healthcheck_cmd(service)
    assert test, f"{name}: no healthcheck"
    assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, f"{name}: healthcheck test {test!r}"
    assert not service["healthcheck"].get("disable"), f"{name}: healthcheck disabled"
    assert "exit(0)" not in " ".join(test) and test[1:] != ["true"], f"{name}: a healthcheck that always passes"
    assert service.get("restart") == "unless-stopped", f"{name}: restart is {service.get('restart')!r}"


@pytest.mark.parametrize("name", EXPECTED)
def test_no_container_name(services, name):
    # A fixed name makes `--scale` fail and blocks a second copy of the stack.
    assert "container_name" not in services[name]


@pytest.mark.parametrize("name", NAMEKO_SERVICES)
def test_nameko_service_is_scalable(services, name):
    service = services[name]
    assert "ports" not in service, f"{name}: published ports conflict when scaled"
    assert "hostname" not in service, f"{name}: every replica would share one hostname"


@pytest.mark.parametrize("name", NAMEKO_SERVICES)
def test_nameko_service_command(services, name):
    cmd = _command(services[name])
    assert cmd == ["nameko", "run", "--config", "services/config.yaml",
                   f"services.{name}.service:{NAMEKO_SERVICES[name]}"]
    assert (ROOT / "services" / "config.yaml").is_file()


@pytest.mark.parametrize("name", [*NAMEKO_SERVICES, "gateway"])
def test_app_containers_start_after_setup(services, name):
    deps = _depends_on(services[name])
    assert deps.get("rabbitmq") == "service_healthy", f"{name}: {deps}"
    assert deps.get("migrate") == "service_completed_successfully", f"{name}: {deps}"
    if name in NAMEKO_SERVICES:
        assert deps.get("postgres") == "service_healthy", f"{name}: {deps}"


def test_migrate_runs_the_three_steps_once(services):
    migrate = services["migrate"]
    assert migrate.get("restart") == "no"
    script = " ".join(_command(migrate))
    positions = [script.find(step) for step in MIGRATE_STEPS]
    assert all(p >= 0 for p in positions), f"migrate does not run all of {MIGRATE_STEPS}: {script!r}"
    assert positions == sorted(positions), "migrate steps out of order"
    # Chained with &&: a failed step fails the container, and nothing waiting on it starts.
    between = [script[a + len(s):b] for s, a, b in zip(MIGRATE_STEPS, positions, positions[1:])]
    assert all(part.strip() == "&&" for part in between), f"steps not chained with &&: {script!r}"
    assert _depends_on(migrate).get("postgres") == "service_healthy"


def test_migrate_gets_the_admin_account_and_nothing_else_does(services):
    admin_vars = ("SIPD_DB_ADMIN_USER", "SIPD_DB_ADMIN_PASSWORD")
    migrate_env = _env(services["migrate"])
    pg_env = _env(services["postgres"])
    # The admin migrate connects as is the one the postgres image creates.
    assert migrate_env["SIPD_DB_ADMIN_USER"] == pg_env["POSTGRES_USER"]
    assert migrate_env["SIPD_DB_ADMIN_PASSWORD"] == pg_env["POSTGRES_PASSWORD"]
    for name in [*NAMEKO_SERVICES, "gateway"]:
        leaked = [v for v in admin_vars if v in _env(services[name])]
        assert not leaked, f"{name} gets the database admin credentials: {leaked}"


@pytest.mark.parametrize("name", ["migrate", *NAMEKO_SERVICES, "gateway"])
def test_app_environment_points_at_the_compose_network(services, name):
    env = {k: _interpolate(v) for k, v in _env(services[name]).items()}
    assert env["SIPD_DB_HOST"] == "postgres"
    assert env["SIPD_DB_PORT"] == "5432"
    assert env.get("SIPD_DB_PASSWORD"), f"{name}: the service roles need a password to log in over TCP"
    amqp = urlsplit(env["SIPD_AMQP_URI"])
    rabbit = {k: _interpolate(v) for k, v in _env(services["rabbitmq"]).items()}
    assert amqp.scheme == "amqp" and amqp.hostname == "rabbitmq" and (amqp.port or 5672) == 5672
    if name == "migrate":  # sets the broker up: its administrator
        assert (amqp.username, amqp.password) == (rabbit["RABBITMQ_DEFAULT_USER"], rabbit["RABBITMQ_DEFAULT_PASS"])
    else:  # a broker user of its own, with the password migrate gives it
        setup = {k: _interpolate(v) for k, v in _env(services["migrate"]).items()}
        assert amqp.username == f"sipd-{name}", f"{name} connects as {amqp.username}"
        assert amqp.password == setup[f"SIPD_BROKER_PASSWORD_{name.upper()}"]
    if name in NAMEKO_SERVICES:
        empty = [v for v in NAMEKO_CONFIG_VARS if not env.get(v)]
        assert not empty, f"{name}: empty {empty} would reach services/config.yaml verbatim"


def test_sipd_variables_are_ones_the_code_reads(services):
    sources = [*ROOT.glob("sipd_common/**/*.py"), *ROOT.glob("gateway/**/*.py"), *ROOT.glob("ops/**/*.py"),
               ROOT / "services" / "config.yaml"]
    known = set()
    for path in sources:
        known.update(re.findall(r"SIPD_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    for name, service in services.items():
        unknown = sorted(v for v in _env(service) if v.startswith("SIPD_") and v not in known)
        assert not unknown, f"{name}: nothing reads {unknown} (typo?)"


def test_gateway_publishes_8000_and_checks_api_health(services):
    gateway = services["gateway"]
    assert ("8000", "8000") in _published(gateway), _published(gateway)
    env = _env(gateway)
    assert env["SIPD_GATEWAY_HOST"] == "0.0.0.0" and env["SIPD_GATEWAY_PORT"] == "8000"
    assert _command(gateway) == ["python", "-m", "gateway"]
    check = " ".join(_healthcheck_cmd(gateway))
    assert "urllib" in check and "127.0.0.1:8000/api/v1/health" in check, check
    assert "curl" not in check and "wget" not in check, "python:3.11-slim has neither curl nor wget"


def test_postgres(compose, services):
    pg = services["postgres"]
    assert pg["image"] == "postgres:15"
    env = _env(pg)
    for var in ("POSTGRES_USER", "POSTGRES_PASSWORD"):
        m = BRACED.fullmatch(env[var])
        assert m and m["op"] in (":-", "-") and m["arg"], f"{var} should come from the environment with a default"
    assert "pg_isready" in " ".join(_healthcheck_cmd(pg))
    volumes = [str(v).split(":")[0] if not isinstance(v, dict) else v.get("source") for v in pg.get("volumes", [])]
    named = [v for v in volumes if v in (compose.get("volumes") or {})]
    assert named, f"postgres data should be on a named volume, got {volumes}"
    assert "ports" not in pg, "the database needs no host port"


def test_rabbitmq(services):
    rmq = services["rabbitmq"]
    assert rmq["image"] == "rabbitmq:3.13-management"
    assert _healthcheck_cmd(rmq)[1:] == ["rabbitmq-diagnostics", "-q", "ping"]
    assert "15672" in [container for _, container in _published(rmq)]


def test_nameko_healthcheck_fails_when_a_dependency_is_unreachable(services):
    """Run the Nameko services' healthcheck for real, against two local listeners."""
    test = _healthcheck_cmd(services["keuangan"])
    assert test[0] == "CMD" and test[1] == "python", test
    argv = [sys.executable, *(arg.replace("$$", "$") for arg in test[2:])]
    broker, db = socket.socket(), socket.socket()
    try:
        for s in (broker, db):
            s.bind(("127.0.0.1", 0))
            s.listen(8)
        env = {"PATH": os.environ.get("PATH", ""),
               "SIPD_AMQP_URI": f"amqp://u:p@127.0.0.1:{broker.getsockname()[1]}/",
               "SIPD_DB_HOST": "127.0.0.1", "SIPD_DB_PORT": str(db.getsockname()[1])}
        ok = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30)
        assert ok.returncode == 0, ok.stderr
        db.close()
        down = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30)
        assert down.returncode != 0, "healthcheck passed with the database unreachable"
    finally:
        broker.close()
        db.close()


# ---------------------------------------------------------------- interpolation

def test_every_variable_has_a_default_or_is_in_env_example(raw, env_example):
    text = _unescaped(raw)
    bare = sorted({m["name"] for m in BARE.finditer(text)})
    assert not bare, f"use ${{VAR:-default}}, not bare ${bare} (or escape a literal dollar as $$)"
    undefined = set()
    for m in BRACED.finditer(text):
        has_default = m["op"] in (":-", "-")
        if not has_default and m["name"] not in env_example:
            undefined.add(m["name"])
    assert not undefined, f"no default and not in .env.example: {sorted(undefined)}"
    assert "${" not in BRACED.sub("", text), "a ${...} that is not a valid interpolation"


def test_defaults_agree_with_each_other_and_with_env_example(raw, env_example):
    defaults: dict[str, set[str]] = {}
    for m in BRACED.finditer(_unescaped(raw)):
        if m["op"] in (":-", "-"):
            defaults.setdefault(m["name"], set()).add(m["arg"])
    # e.g. POSTGRES_PASSWORD for the postgres image and for migrate: different defaults break login.
    clashing = {name: values for name, values in defaults.items() if len(values) > 1}
    assert not clashing, f"one variable, several defaults: {clashing}"
    differ = {name: (env_example[name], next(iter(values)))
              for name, values in defaults.items() if name in env_example and env_example[name] not in values}
    assert not differ, f".env.example differs from the compose defaults (example, default): {differ}"


def test_broker_passwords_are_required_with_no_fallback(raw, env_example):
    """No broker user falls back to a known password (``<name>-change-me``, the operators' included): each
    password, and the broker administrator's, is ``${VAR:?…}`` wherever it is used, so Compose refuses to start
    without it; .env.example lists each with a placeholder that ``python -m ops.broker setup`` (migrate) refuses."""
    from ops import broker

    required = {"RABBITMQ_PASSWORD", *broker.PASSWORD_VARS.values()}
    uses: dict[str, set[str]] = {}
    for m in BRACED.finditer(_unescaped(raw)):
        if m["name"] in required:
            uses.setdefault(m["name"], set()).add(m["op"])
    assert set(uses) == required, f"not given to the containers: {sorted(required - set(uses))}"
    fallbacks = {name: ops for name, ops in uses.items() if ops != {":?"}}
    assert not fallbacks, f"a broker password not required everywhere it is used: {fallbacks}"
    refused = broker.password_problems({c: env_example[var] for c, var in broker.PASSWORD_VARS.items()},
                                       env_example["RABBITMQ_PASSWORD"])
    assert len(refused) == len(required), refused


def test_env_example_lists_only_variables_the_file_uses(raw, env_example):
    used = {m["name"] for m in BRACED.finditer(_unescaped(raw))}
    unused = sorted(set(env_example) - used)
    assert not unused, f".env.example sets variables docker-compose.yml never reads: {unused}"


# ---------------------------------------------------------------- image

def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


@pytest.mark.parametrize("name", ["migrate", *NAMEKO_SERVICES, "gateway"])
def test_app_containers_build_the_one_image(services, name):
    service = services[name]
    build = service.get("build")
    assert isinstance(build, dict), f"{name}: no build section"
    context = (COMPOSE_DIR / build["context"]).resolve()
    assert context == ROOT, f"{name}: build context {context} is not the repository root"
    assert (context / build["dockerfile"]).resolve() == DOCKERFILE.resolve()
    assert service.get("image") == services["gateway"].get("image"), "one image for all"


def test_dockerfile(services):
    assert DOCKERFILE.is_file()
    instructions = _dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = " ".join(rest for kw, rest in instructions if kw == "RUN")
    assert re.search(r"pip install (.* )?-r requirements\.txt", runs), "requirements.txt is not installed"
    copies = [rest.split() for kw, rest in instructions if kw == "COPY"]
    assert any("requirements.txt" in c[:-1] for c in copies)
    for args in copies:
        for src in (a for a in args[:-1] if not a.startswith("--")):
            assert (ROOT / src).exists(), f"COPY {src}: not in the build context"
    envs = " ".join(rest for kw, rest in instructions if kw == "ENV")
    assert "PYTHONWARNINGS=ignore" in envs and "PSYCOPG_WAIT_FUNC=wait_selector" in envs
    # The code must be importable from /app: on PYTHONPATH or installed.
    assert "PYTHONPATH=/app" in envs or "pip install --no-deps -e ." in runs
    workdirs = [rest for kw, rest in instructions if kw == "WORKDIR"]
    assert workdirs and workdirs[-1] == "/app", "the commands use paths relative to /app"
    users = [rest for kw, rest in instructions if kw == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"


def test_requirements_pin_what_the_containers_run():
    reqs = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for package in ("nameko", "uvicorn", "psycopg", "alembic"):
        assert re.search(rf"^{package}\b", reqs, re.M), f"{package} missing from requirements.txt"


# ---------------------------------------------------------------- what the containers run

@pytest.mark.parametrize("name", NAMEKO_SERVICES)
def test_nameko_target_is_importable(services, name, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))  # as PYTHONPATH=/app in the image
    module_name, cls = _nameko_target(services[name])
    module = importlib.import_module(module_name)
    assert isinstance(getattr(module, cls, None), type), f"{module_name} has no class {cls}"


@pytest.mark.parametrize("module", ["gateway.__main__", "sipd_common.dbsetup", "sipd_common.migrations",
                                    "services.referensi.seed", "ops.broker"])
def test_python_m_modules_exist(module, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    assert importlib.util.find_spec(module) is not None, f"python -m {module.removesuffix('.__main__')}: not found"


# ---------------------------------------------------------------- Compose itself, where installed

def _compose_plugin() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return None
    try:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return docker if probe.returncode == 0 else None


def test_docker_compose_config_validates():
    docker = _compose_plugin()
    if docker is None:
        pytest.skip("`docker compose version` fails here (no docker CLI or no Compose plugin): "
                    "validated by the YAML checks above only")
    result = subprocess.run([docker, "compose", "-f", str(COMPOSE_FILE), "config", "-q"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- operations: Prometheus and Grafana

MONITORING = ["prometheus", "grafana"]


@pytest.mark.parametrize("name", MONITORING)
def test_monitoring_runs_beside_the_stack_on_loopback(services, name):
    service = services[name]
    assert _healthcheck_cmd(service) and service.get("restart") == "unless-stopped"
    assert "container_name" not in service
    for port in service.get("ports", []):
        assert str(port).startswith("${"), f"{name}: {port} should be bound to a configurable (loopback) address"


def test_prometheus_scrapes_every_service_instance_and_the_gateway(services):
    config = yaml.safe_load((COMPOSE_DIR / "prometheus" / "prometheus.yml").read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    found = {name: (sd["port"], job_name) for job_name, job in jobs.items()
             for sd in job.get("dns_sd_configs", []) for name in sd["names"]}
    for name in NAMEKO_SERVICES:
        assert found[name][0] == int(_env(services[name])["SIPD_METRICS_PORT"]), name
        assert _env(services[name])["SIPD_METRICS_HOST"] == "0.0.0.0"  # reachable on the compose network
        assert not services[name].get("ports"), f"{name}: its metrics are not published to the host"
    assert found["gateway"][0] == 8000
    gateway_job = jobs[found["gateway"][1]]
    assert gateway_job["metrics_path"] == "/metrics"
    assert gateway_job["authorization"]["credentials_file"] in " ".join(services["prometheus"]["command"])
    assert "SIPD_METRICS_TOKEN" in _env(services["gateway"]) and "SIPD_METRICS_TOKEN" in _env(services["prometheus"])


def test_the_dashboard_shows_only_metrics_the_code_exports():
    dashboard = json.loads((COMPOSE_DIR / "grafana" / "dashboards" / "sipd.json").read_text(encoding="utf-8"))
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "sipd_common").glob("*.py"))
    exported = set(re.findall(r'"(sipd_[a-z_]+)"', code))
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {re.sub(r"_(bucket|count|sum)$", "", m) for e in exprs for m in re.findall(r"\b(sipd_[a-z_]+)", e)}
    assert used and used <= exported, f"not exported: {sorted(used - exported)}"
    # the questions of the README: consumer lag, outbox backlog, parked events, latency, pool, logins
    for metric in ("sipd_queue_messages", "sipd_outbox_unsent", "sipd_parked_events", "sipd_worker_seconds",
                   "sipd_http_request_seconds", "sipd_db_pool_connections", "sipd_login_failures_total"):
        assert metric in used, metric
    provisioned = yaml.safe_load((COMPOSE_DIR / "grafana" / "provisioning" / "datasources" / "prometheus.yml")
                                 .read_text(encoding="utf-8"))
    assert {d["uid"] for d in provisioned["datasources"]} == {p["datasource"]["uid"] for p in dashboard["panels"]}


# ---------------------------------------------------------------- connection budget

SCALE = re.compile(r"--scale\s+([a-z]+)=(\d+)")
PG_DEFAULTS = {"max_connections": 100, "superuser_reserved_connections": 3}  # PostgreSQL 15's


def _documented_scales(raw: str) -> list[dict[str, int]]:
    """Every ``docker compose up --scale ...`` the compose README and the compose file's header show."""
    text = (COMPOSE_DIR / "README.md").read_text(encoding="utf-8") + "\n" + raw
    scales = [{name: int(n) for name, n in SCALE.findall(row)} for row in text.splitlines() if SCALE.search(row)]
    assert scales, "no `--scale` example documented"
    return scales


def _postgres_settings(service: dict) -> dict[str, int]:
    """The server's settings as the postgres service starts it (``-c name=value``), PostgreSQL's defaults else."""
    settings = dict(PG_DEFAULTS)
    command = [_interpolate(str(arg)) for arg in _command(service)]
    for flag, value in zip(command, command[1:]):
        if flag == "-c" and "=" in value:
            name, _, setting = value.partition("=")
            if name in settings:
                settings[name] = int(setting)
    return settings


def test_the_documented_scale_fits_postgresql_max_connections(raw, services):
    """Each process checks at start that its pool fits what PostgreSQL has left (sipd_common.connections), and a
    container that does not fit restarts forever: every scale the docs show must fit the server's max_connections
    as the compose file configures it, every instance at its whole pool."""
    from gateway.db import MAX_OVERFLOW, POOL_SIZE
    from sipd_common.db import RELAY_CONNECTIONS

    pg = _postgres_settings(services["postgres"])
    gateway_env = {k: _interpolate(v) for k, v in _env(services["gateway"]).items()}
    headroom = int(gateway_env.get("SIPD_DB_RESERVED_CONNECTIONS") or 5)  # sipd_common.connections' default
    gateway = int(gateway_env.get("SIPD_GATEWAY_WORKERS") or 1) * (POOL_SIZE + MAX_OVERFLOW)
    pools = {name: int(_interpolate(_env(services[name])["SIPD_DB_POOL_SIZE"])) + RELAY_CONNECTIONS
             for name in NAMEKO_SERVICES}
    assert "SIPD_DB_CONNECTION_CHECK" not in gateway_env, "the budget is checked in compose as anywhere"
    for scale in _documented_scales(raw):
        assert set(scale) <= set(NAMEKO_SERVICES), f"only the Nameko services scale: {scale}"
        services_take = sum(pools[name] * scale.get(name, 1) for name in NAMEKO_SERVICES)
        needed = services_take + gateway + pg["superuser_reserved_connections"] + headroom
        assert needed <= pg["max_connections"], (
            f"--scale {scale}: {services_take} (services) + {gateway} (gateway) + "
            f"{pg['superuser_reserved_connections'] + headroom} (reserved) = {needed} connections, "
            f"max_connections {pg['max_connections']}: the last instance would be refused at start")

"""What every SIPD service needs and nothing domain-specific.

Event envelope, transactional outbox and its relay, idempotent event handling,
database session provider, configuration and request-id logging.
"""
import os

# psycopg 3 waits for the socket with a C function that eventlet cannot see, so
# ten parallel queries in a Nameko worker run one after the other. The
# selector-based wait uses the (monkey-patched) selectors module instead. This
# must be set before psycopg is imported, which is why it lives here.
# (``wait_select`` works as well and costs the same: ``python -m bench.psycopg_wait``.)
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_selector")

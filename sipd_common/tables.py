"""Tables every service keeps in its own schema for reliable messaging.

- ``outbox``: events committed with the state change that caused them, until
  the relay has published them with a publisher confirm to at least one queue; kept
  published for a while after (``RETENTION``), so a new consumer can have them replayed.
- ``inbox``: the events each handler has applied, committed with its effects,
  so a redelivered event changes nothing.
- ``handler_failure`` / ``parked_event``: attempts of a failing handler and,
  after the last one, the event parked for an operator to read and replay.
"""
from sqlalchemy import (
    BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, func, text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID


def add_messaging_tables(metadata: MetaData) -> dict[str, Table]:
    outbox = Table(
        "outbox", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("exchange", String(200), nullable=False),
        Column("routing_key", String(200), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default="{}"),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        # returned by the broker (no queue bound for it): how often, and when the relay tries again
        Column("unroutable", Integer, nullable=False, server_default="0"),
        Column("retry_at", DateTime(timezone=True)),
        # claimed by a relay publishing it until then (a lease: a relay that died leaves it to the next after it)
        Column("claimed_until", DateTime(timezone=True)),
        # the relay's query: unsent rows in order
        Index("outbox_unsent", "id", postgresql_where=text("published_at IS NULL")),
    )
    inbox = Table(
        "inbox", metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("handler", String(200), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    handler_failure = Table(
        "handler_failure", metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("handler", String(200), primary_key=True),
        Column("attempts", Integer, nullable=False),
        Column("last_error", Text, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    parked_event = Table(
        "parked_event", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False),
        Column("handler", String(200), nullable=False),
        Column("routing_key", String(200), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("headers", JSONB, nullable=False, server_default="{}"),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("parked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("replayed_at", DateTime(timezone=True)),
    )
    return {t.name: t for t in (outbox, inbox, handler_failure, parked_event)}


messaging_metadata = MetaData()
MESSAGING = add_messaging_tables(messaging_metadata)
outbox_table = MESSAGING["outbox"]
inbox_table = MESSAGING["inbox"]
handler_failure_table = MESSAGING["handler_failure"]
parked_event_table = MESSAGING["parked_event"]

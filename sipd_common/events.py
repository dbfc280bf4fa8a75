"""The event envelope every SIPD service publishes, and the registry of contracts.

An event is a pydantic model. Its class declares a stable ``name`` and an integer
``version``; on the wire it travels as JSON on the publishing service's Nameko
event exchange (``<service>.events``) with the routing key ``<name>.v<version>``,
so a breaking change is a new version published beside the old one.

A publisher builds its events strictly (an unknown field is an error: a typo is a bug); a consumer
reads them tolerantly (``Event.read`` ignores fields it does not know, at every depth), so a
publisher may add an optional field without breaking anyone.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Callable, ClassVar

from pydantic import BaseModel, ConfigDict, Field

_REGISTRY: dict[str, type["Event"]] = {}


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Event(BaseModel):
    """Envelope fields shared by every event; subclasses add the payload fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Set by each subclass: the stable name, its version and who publishes it.
    name: ClassVar[str]
    version: ClassVar[int]
    source: ClassVar[str]

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4, description="Unique per event; consumers de-duplicate on it.")
    kode_pemda: str = Field(description="Region code of the pemda the event concerns, e.g. `32.73`.")
    tahun: int = Field(description="Fiscal year (tahun anggaran) the event concerns.")
    aggregate_id: str = Field(description="Id of the record that changed.")
    aggregate_version: int = Field(ge=1, description="Version of that record after the change; consumers ignore older versions.")
    occurred_at: datetime = Field(default_factory=_now, description="When the change was committed (UTC).")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # a class that declares a name or a new version is a contract of its own
        if "name" in cls.__dict__ or "version" in cls.__dict__:
            key = cls.event_type()
            if key in _REGISTRY and _REGISTRY[key] is not cls:
                raise TypeError(f"event {key} is defined twice")
            _REGISTRY[key] = cls

    @classmethod
    def event_type(cls) -> str:
        """The routing key: the name and the major version."""
        return f"{cls.name}.v{cls.version}"

    @classmethod
    def read(cls, payload: Any):
        """A received message as this event: fields this consumer does not know are ignored."""
        return cls.model_validate(payload, extra="ignore")

    def to_message(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# A record's version grows by one per change. An event claiming a version this far above the one held
# (or, for a record not held yet, above this) is not believed: forged or corrupt, it would otherwise
# freeze the record (2**31 - 1, and every genuine change after it is "older").
MAX_VERSION_STEP = 1000


class ImplausibleVersion(Exception):
    """An event's ``aggregate_version`` jumps too far ahead of the version held: parked, not applied."""


def check_version_step(incoming: int, held: int | Callable[[], int | None] | None) -> None:
    """Refuse ``incoming`` more than ``MAX_VERSION_STEP`` above ``held`` (a value, or a function asked only
    when ``incoming`` alone exceeds the step: the usual event costs no look-up)."""
    if incoming <= MAX_VERSION_STEP:
        return
    held_version = (held() if callable(held) else held) or 0
    if incoming - held_version > MAX_VERSION_STEP:
        raise ImplausibleVersion(f"aggregate_version {incoming} jumps more than {MAX_VERSION_STEP} "
                                 f"above the version held ({held_version})")


def registered_events() -> dict[str, type[Event]]:
    return dict(_REGISTRY)


def asyncapi_document(title: str = "SIPD events", version: str = "1.0.0") -> dict[str, Any]:
    """An AsyncAPI 2.6 document generated from the registered event models."""
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for key, model in sorted(registered_events().items()):
        message_name = key.replace(".", "_")  # unique per name and version, unlike the class name
        # what travels is what the publisher serialises: money as decimal strings
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        for def_name, definition in schema.pop("$defs", {}).items():
            schemas[def_name] = definition
        schemas[message_name] = schema
        messages[message_name] = {
            "name": key,
            "title": f"{model.name} v{model.version}",
            "summary": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else key,
            "contentType": "application/json",
            "headers": {
                "type": "object",
                "properties": {
                    "nameko.request_id": {"type": "string", "description": "Id of the HTTP request that caused the event."},
                    "nameko.call_id_stack": {"type": "array", "items": {"type": "string"}},
                    "nameko.traceparent": {"type": "string", "description": "W3C trace context of the span that "
                                           "emitted the event (OpenTelemetry), when the caller sent one."},
                },
            },
            "payload": {"$ref": f"#/components/schemas/{message_name}"},
        }
        channels[f"{model.source}.events/{key}"] = {
            "description": (
                f"Topic exchange `{model.source}.events`, routing key `{key}`. Bind a durable queue "
                f"to receive it; messages are persistent and delivered at least once, so de-duplicate "
                f"on `event_id` and ignore an `aggregate_version` older than the one you hold."
            ),
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": f"{model.source}.events", "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"},
                    "bindingVersion": "0.2.0",
                }
            },
            "subscribe": {
                "operationId": f"on_{key.replace('.', '_')}",
                "message": {"$ref": f"#/components/messages/{message_name}"},
            },
        }
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Events published by the SIPD services through their transactional outboxes.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"messages": messages, "schemas": schemas},
    }

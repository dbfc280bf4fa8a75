"""An asyncio client of Nameko's RPC protocol, so the gateway never blocks its event loop.

Nameko's own standalone client is blocking; inside an ``async def`` handler it
would stall every other request. This one speaks the same wire protocol over
aio-pika: a request is published to the ``nameko-rpc`` topic exchange with the
routing key ``<service>.<method>``, a JSON body ``{"args", "kwargs"}``, a
``correlation_id`` and ``reply_to``; the reply arrives on the gateway's own
exclusive queue bound to that exchange, as ``{"result", "error"}``.

Many calls are in flight at once on one connection. The connection is robust:
after a broker restart aio-pika reconnects and re-declares the reply queue;
calls caught by the outage fail at once with ``ServiceUnavailable``.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import time
import uuid
from typing import Any

import aio_pika
import orjson
from aio_pika.exceptions import DeliveryError

from sipd_common import revocation
from sipd_common import tracing
from sipd_common.logging import request_id_var
from sipd_common.metrics import RPC_CLIENT_SECONDS

log = logging.getLogger(__name__)

RPC_EXCHANGE = "nameko-rpc"

# The caller's access token, for the request being served (set by ``security.AuthTokenMiddleware``):
# every call made while serving it carries the token, and the services verify it themselves.
auth_token_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("auth_token", default=None)


class ServiceUnavailable(Exception):
    """The broker or the service cannot be reached now; the call did not run."""


class ServiceTimeout(Exception):
    """No reply in time; the call may or may not have run."""


class RemoteError(Exception):
    """The service raised; ``exc_type`` and ``args`` are as Nameko serialised them."""

    def __init__(self, exc_type: str, exc_args: list, value: str):
        super().__init__(value)
        self.exc_type = exc_type
        self.exc_args = exc_args
        self.value = value


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float = 10.0):
        self.amqp_uri = amqp_uri
        self.timeout = timeout
        self.connection: aio_pika.abc.AbstractRobustConnection | None = None
        self._pending: dict[str, asyncio.Future] = {}
        self._reply_key = f"gateway-{uuid.uuid4()}"
        self._exchange: aio_pika.abc.AbstractExchange | None = None
        self._revocations: aio_pika.abc.AbstractExchange | None = None

    @property
    def connected(self) -> bool:
        return self.connection is not None and not self.connection.is_closed and self._exchange is not None

    async def start(self) -> None:
        self.connection = await aio_pika.connect_robust(
            self.amqp_uri, client_properties={"connection_name": "sipd-gateway"}, reconnect_interval=1,
        )
        self.connection.close_callbacks.add(self._on_connection_lost)
        channel = await self.connection.channel(publisher_confirms=True, on_return_raises=True)
        self._exchange = await channel.declare_exchange(RPC_EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True)
        queue = await channel.declare_queue(
            f"rpc.reply-{self._reply_key}", exclusive=True, auto_delete=True, arguments={"x-expires": 300_000},
        )
        await queue.bind(self._exchange, routing_key=self._reply_key)
        await queue.consume(self._on_reply, no_ack=True)

    async def declare_revocations(self) -> None:
        """The exchange ``gateway.events`` and the stream ``gateway.revocations`` bound to it, on a channel of
        their own (``ops.broker setup`` makes them too; declaring what exists changes nothing)."""
        channel = await self.connection.channel(publisher_confirms=True, on_return_raises=True)
        self._revocations = await channel.declare_exchange(revocation.EXCHANGE, aio_pika.ExchangeType.TOPIC,
                                                           durable=True)
        stream = await channel.declare_queue(revocation.STREAM, durable=True,
                                             arguments=revocation.STREAM_ARGUMENTS)
        await stream.bind(self._revocations, routing_key=revocation.ROUTING_KEY)

    async def publish_revocation(self, body: bytes) -> None:
        """Publish one revocation and wait for the broker's confirm; raises if it is not in the stream."""
        if self._revocations is None:
            await self.declare_revocations()
        message = aio_pika.Message(body=body, content_type="application/json",
                                   delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
        await self._revocations.publish(message, routing_key=revocation.ROUTING_KEY, mandatory=True,
                                        timeout=self.timeout)

    async def subscribe(self, exchange: str, routing_key: str, callback) -> None:
        """Every event published on ``exchange`` with ``routing_key``, to this process (a queue of its own).

        The queue is exclusive and auto-deleted: a broadcast to each gateway instance,
        not a work queue. ``callback`` also runs after a reconnect, when events may
        have been missed.
        """
        channel = await self.connection.channel()
        source = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
        # named (not server-named): the gateway's broker user may declare only queues of its own names
        queue = await channel.declare_queue(f"gateway.events-{uuid.uuid4()}", exclusive=True, auto_delete=True)
        await queue.bind(source, routing_key=routing_key)

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            callback(message)

        await queue.consume(on_message, no_ack=True)
        self.connection.reconnect_callbacks.add(lambda *_: callback(None))

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()
        self._fail_pending(ServiceUnavailable("gateway shutting down"))

    def _on_connection_lost(self, *_args: Any) -> None:
        # Replies to calls in flight would come to a queue that is gone: fail them now.
        self._fail_pending(ServiceUnavailable("connection to the broker lost"))

    def _fail_pending(self, exc: Exception) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(exc)
        self._pending.clear()

    async def _on_reply(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        future = self._pending.pop(message.correlation_id or "", None)
        if future is not None and not future.done():
            future.set_result(message.body)

    async def call(self, service: str, method: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        started, outcome = time.perf_counter(), "ok"
        span = tracing.start(f"rpc {service}.{method}", tracing.CLIENT) if tracing.enabled() else None
        try:
            return await self._call(service, method, *args, timeout=timeout, traceparent=tracing.traceparent_of(span),
                                    **kwargs)
        except ServiceUnavailable:
            outcome = "unavailable"
            raise
        except ServiceTimeout:
            outcome = "timeout"
            raise
        except RemoteError as exc:
            outcome = exc.exc_type
            raise
        except BaseException:
            outcome = "error"
            raise
        finally:
            RPC_CLIENT_SECONDS.labels(service, method, outcome).observe(time.perf_counter() - started)
            tracing.end(span, None if outcome == "ok" else outcome)

    async def _call(self, service: str, method: str, *args: Any, timeout: float | None = None,
                    traceparent: str | None = None, **kwargs: Any) -> Any:
        if self._exchange is None or self.connection is None or self.connection.is_closed:
            raise ServiceUnavailable("not connected to the broker")
        timeout = timeout or self.timeout
        correlation_id = str(uuid.uuid4())
        future = asyncio.get_running_loop().create_future()
        self._pending[correlation_id] = future
        # the deadline: the service runs nothing, and commits nothing, after this caller stops waiting
        # (a decimal string: aio-pika would send a float in 32 bits, a minute off)
        headers = {"nameko.call_id_stack": [f"gateway.{service}.{method}.{correlation_id}"],
                   "nameko.request_id": request_id_var.get(), "nameko.deadline": f"{time.time() + timeout:.3f}"}
        if traceparent:
            headers["nameko.traceparent"] = traceparent  # the service's span is this call's child
        token = auth_token_var.get()
        if token:
            headers["nameko.auth_token"] = token  # Nameko's context key `auth_token`
        message = aio_pika.Message(
            body=orjson.dumps({"args": args, "kwargs": kwargs}),
            content_type="application/json",
            correlation_id=correlation_id,
            reply_to=self._reply_key,
            headers=headers,
            # a request nobody took in time is dropped, not run after the caller gave up
            expiration=timeout,
        )
        try:
            try:
                await self._exchange.publish(message, routing_key=f"{service}.{method}", mandatory=True, timeout=timeout)
            except DeliveryError:
                raise ServiceUnavailable(f"service {service} has no queue: it has never run") from None
            except (aio_pika.exceptions.AMQPError, ConnectionError, RuntimeError, asyncio.TimeoutError) as exc:
                raise ServiceUnavailable(f"broker unavailable: {type(exc).__name__}") from None
            try:
                body = await asyncio.wait_for(future, timeout)
            except asyncio.TimeoutError:
                raise ServiceTimeout(f"{service}.{method} did not answer within {timeout:g} s") from None
        finally:
            self._pending.pop(correlation_id, None)
        reply = orjson.loads(body)
        error = reply.get("error")
        if error:
            raise RemoteError(error.get("exc_type", "Exception"), error.get("exc_args") or [], error.get("value", ""))
        return reply.get("result")

"""The broker as a trust boundary: each service connects as a user of its own that reaches its own queues
and exchanges only; the operators' RPCs answer the operators' broker user only."""
from __future__ import annotations

import uuid

import amqp.exceptions
import kombu
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcClient

from ops import broker


def _refused(action) -> None:
    with pytest.raises(amqp.exceptions.AccessRefused):
        action()


def test_a_service_cannot_bind_to_the_calls_meant_for_another(stack, broker_uris):
    with kombu.Connection(broker_uris["keuangan"]) as conn:
        rpc = kombu.Exchange("nameko-rpc", type="topic", durable=True)
        for key in ("#", "perencanaan.*", "perencanaan.create_sub_kegiatan", "gateway.#"):
            # a reply queue of its own name, which it may declare: only the binding key is refused
            queue = kombu.Queue(f"rpc.reply-keuangan-{uuid.uuid4()}", rpc, routing_key=key, auto_delete=True)
            _refused(lambda: queue(conn.channel()).declare())


def test_a_service_cannot_publish_another_services_events_nor_read_its_queues(stack, broker_uris):
    with kombu.Connection(broker_uris["keuangan"], transport_options={"confirm_publish": True}) as conn:
        forged = {"event_id": str(uuid.uuid4()), "aggregate_version": 2**31 - 1}
        producer = kombu.Producer(conn.channel())
        _refused(lambda: producer.publish(forged, exchange="perencanaan.events", routing_key="rkpd.sub_kegiatan.saved.v1"))
        _refused(lambda: conn.channel().basic_get("rpc-perencanaan"))
        _refused(lambda: conn.channel().basic_get(
            "evt-perencanaan-rkpd.sub_kegiatan.saved.v1--pemerintahan.on_rkpd_saved"))
    with kombu.Connection(broker_uris["gateway"]) as conn:
        # the gateway calls the services; it may not call in another's name nor consume their requests
        _refused(lambda: conn.channel().basic_get("rpc-keuangan"))


def test_the_operators_rpcs_answer_the_operators_broker_user_only(stack, amqp_uri, broker_uris):
    # the broker's administrator is not the operator; a header claiming to be is not believed
    for context in (None, {"broker_user": stack.env["SIPD_OPERATOR_BROKER_USER"]}):
        with ClusterRpcClient(uri=amqp_uri, timeout=15, context_data=context) as rpc:
            with pytest.raises(RemoteError) as refused:
                rpc.keuangan.parked_events()
            assert refused.value.exc_type == "Forbidden"
    operator = broker_uris["operator"]
    with ClusterRpcClient(uri=operator, timeout=15, user_id=broker.uri_user(operator)) as rpc:
        assert isinstance(rpc.keuangan.parked_events(), list)
        assert "by_routing_key" in rpc.perencanaan.unroutable_events()


def test_the_operators_replay_answers_the_operators_broker_user_only(stack, amqp_uri, broker_uris):
    """Publishing a service's outbox history again (``replay_events``) is the operators' as listing parked events
    is: refused to the broker's administrator and to a header claiming the operator's user; the operator's
    answered. (A time to come: let through, it publishes no history; what it counts is the unroutable events it
    tries again at once, which other tests on this stack may have left.)"""
    later = "2999-01-01T00:00:00+00:00"
    for context in (None, {"broker_user": stack.env["SIPD_OPERATOR_BROKER_USER"]}):
        with ClusterRpcClient(uri=amqp_uri, timeout=15, context_data=context) as rpc:
            for service in (rpc.perencanaan, rpc.keuangan):
                with pytest.raises(RemoteError) as refused:
                    service.replay_events(later)
                assert refused.value.exc_type == "Forbidden"
    operator = broker_uris["operator"]
    with ClusterRpcClient(uri=operator, timeout=15, user_id=broker.uri_user(operator)) as rpc:
        replayed = rpc.perencanaan.replay_events(later)["replayed"]
        assert isinstance(replayed, int) and replayed >= 0


def test_the_operators_tools_connect_as_the_operator(stack, broker_uris):
    import json
    import subprocess
    import sys

    from ops.stack import ROOT

    env = {**stack.env, "SIPD_OPERATOR_AMQP_URI": broker_uris["operator"]}
    for command in (["ops.parked", "list", "keuangan"], ["ops.outbox", "unroutable", "perencanaan"]):
        done = subprocess.run([sys.executable, "-m", *command], env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        json.loads(done.stdout)
    # without the operator's credential (the broker's administrator here), refused
    done = subprocess.run([sys.executable, "-m", "ops.parked", "list", "keuangan"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**stack.env, "SIPD_OPERATOR_AMQP_URI": stack.env["SIPD_AMQP_URI"]})
    assert done.returncode != 0 and "Forbidden" in done.stderr


def test_only_the_gateway_publishes_revocations_and_a_service_may_only_read_them(stack, broker_uris):
    """A service reads the stream of revoked tokens (sipd_common.revocation); it may neither forge one (locking a
    user out) nor delete the stream (so that instances starting later miss revocations; a stream cannot be purged)."""
    from sipd_common import revocation

    with kombu.Connection(broker_uris["keuangan"], transport_options={"confirm_publish": True}) as conn:
        assert conn.channel().queue_declare(revocation.STREAM, passive=True).queue == revocation.STREAM
        producer = kombu.Producer(conn.channel())
        _refused(lambda: producer.publish({"user_id": "x"}, exchange=revocation.EXCHANGE,
                                          routing_key=revocation.ROUTING_KEY))
        _refused(lambda: conn.channel().queue_delete(revocation.STREAM))
        _refused(lambda: conn.channel().exchange_delete(revocation.EXCHANGE))
    with kombu.Connection(broker_uris["gateway"], transport_options={"confirm_publish": True}) as conn:
        kombu.Producer(conn.channel()).publish(
            {"user_id": f"nobody-{uuid.uuid4()}", "min_version": 1, "revoked_at": "2026-01-01T00:00:00Z",
             "until": "2026-01-01T00:00:00Z"}, exchange=revocation.EXCHANGE, routing_key=revocation.ROUTING_KEY)

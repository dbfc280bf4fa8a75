"""A caller's deadline bounds what its call does: a worker gives up when the caller does, nothing commits
after, and a call to another service that is not there fails in time instead of holding the worker."""
from __future__ import annotations

import time

import eventlet
import kombu
import nameko
import pytest
from nameko.exceptions import RemoteError
from nameko.rpc import ReplyListener
from nameko.standalone.rpc import ClusterRpcClient
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import text

from ops.testing import auth_context, wait_until
from services.perencanaan.rkpd.repository import rkpd_sub_kegiatan
from services.perencanaan.service import PerencanaanService
from sipd_common.errors import Unavailable
from sipd_common.rpc import ServiceRpc, rpc

from .replika import replika_siap
from .test_service import KODE_PEMDA, new_item, rows_in


@pytest.fixture
def db(engines):
    return engines("perencanaan")


@pytest.fixture
def perencanaan(start, start_referensi, db):
    start_referensi()
    container = start(PerencanaanService)
    replika_siap(db)
    return container


def test_a_create_whose_caller_gave_up_is_not_committed_and_frees_its_worker(perencanaan, db, lingkungan):
    tahun = lingkungan.tahun(KODE_PEMDA)
    caller_waits = 2.0
    with entrypoint_waiter(perencanaan, "create_sub_kegiatan", timeout=30):
        with db.connect() as holder:
            # another transaction holds the table: the create's insert has to wait for it
            holder.execute(text(f"LOCK TABLE {rkpd_sub_kegiatan.name} IN SHARE MODE"))
            context = {**auth_context(), "deadline": time.time() + caller_waits}
            with ClusterRpcClient(context_data=context, timeout=caller_waits + 3) as client:
                started = time.monotonic()
                with pytest.raises(RemoteError) as refused:
                    client.perencanaan.create_sub_kegiatan(KODE_PEMDA, tahun, new_item())
                answered_after = time.monotonic() - started
            still_locked = not holder.closed
            holder.rollback()  # the lock goes; a worker still waiting would insert and commit now
    assert refused.value.exc_type == "DeadlineExceeded", refused.value
    # The proof is that the answer came while the lock was still held (the worker did not wait for it);
    # the time allows for the reply's own trip on a loaded machine.
    assert still_locked, "the worker gave up by the caller's deadline, not when the lock went"
    assert answered_after < caller_waits + 1.5, answered_after
    assert rows_in(db, rkpd_sub_kegiatan, tahun) == 0, "nothing committed after the caller gave up"


def test_a_request_taken_up_after_its_deadline_is_not_run(perencanaan, db, lingkungan):
    tahun = lingkungan.tahun(KODE_PEMDA)
    with ClusterRpcClient(context_data={**auth_context(), "deadline": time.time() - 1}, timeout=10) as client:
        with pytest.raises(RemoteError) as refused:
            client.perencanaan.create_sub_kegiatan(KODE_PEMDA, tahun, new_item())
    assert refused.value.exc_type == "DeadlineExceeded"
    assert rows_in(db, rkpd_sub_kegiatan, tahun) == 0


class Asker:
    """A service calling referensi as perencanaan and keuangan do."""

    name = "asker"
    referensi = ServiceRpc("referensi", timeout=1.0)

    @rpc
    def ask(self):
        return self.referensi.health()


def rpc_queue_depth(service: str) -> int:
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        return conn.default_channel.queue_declare(f"rpc-{service}", passive=True).message_count


def test_a_call_to_a_stopped_service_fails_in_time_and_its_request_expires(start_referensi, container_factory):
    referensi = start_referensi()
    referensi.stop()  # its queue stays, no one consumes it
    asker = container_factory(Asker)
    asker.start()

    started = time.monotonic()
    with eventlet.Timeout(10), entrypoint_hook(asker, "ask") as ask, pytest.raises(Unavailable):
        ask()
    assert time.monotonic() - started < 3, "the worker waited the call's timeout, not forever"

    wait_until(lambda: rpc_queue_depth("referensi") == 0,
               message="the request expired: referensi will not run it when it is back")


def test_replies_lost_with_the_reply_queue_fail_their_calls_not_the_service(start_referensi, container_factory,
                                                                              rabbit_manager):
    """The broker loses a caller's reply queue while a call waits (a restart drops the transient queue; or an
    eager timer's call is registered in the instant before the listener first declared it). Nameko kills the
    whole container for it; here the call fails as Unavailable and the next one is answered."""
    asker = container_factory(Asker)
    asker.start()
    [listener] = {e for e in asker.extensions if isinstance(e, ReplyListener)}
    listener.register_for_reply("a-reply-the-broker-lost")
    vhost, queue = nameko.config["AMQP_URI"].rsplit("/", 1)[1], listener.queue.name
    with kombu.Connection(nameko.config["AMQP_URI"]) as conn:
        conn.default_channel.queue_delete(queue)
    for connection in rabbit_manager.get_connections():
        if connection["vhost"] == vhost:
            rabbit_manager._delete("connections", connection["name"])
    wait_until(lambda: any(q["name"] == queue and q.get("consumers") for q in rabbit_manager.get_queues(vhost)),
               message="the listener declared its queue again and consumes it")
    assert not asker._died.ready(), "the container lives on"
    start_referensi()
    with eventlet.Timeout(30), entrypoint_hook(asker, "ask") as ask:
        assert ask()

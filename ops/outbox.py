"""Operators' view of a service's outbox: events the broker returned, and replay for a consumer catching up.

    python -m ops.outbox unroutable SERVICE
    python -m ops.outbox replay SERVICE --since 2026-01-31T00:00:00+07:00 [--routing-key KEY]

An event no queue was bound for waits in the outbox (it is not dropped) and is tried again; a new
consumer binds its queue (starts once) and then asks for a replay of what it missed, as far back as
the outbox keeps published events (7 days); the codification has its snapshot beyond that.
"""
from __future__ import annotations

import argparse
import json
import sys

from sipd_common.settings import SERVICES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    unroutable = sub.add_parser("unroutable", help="events waiting for a queue to be bound")
    unroutable.add_argument("service", choices=SERVICES)
    replay = sub.add_parser("replay", help="publish again what a service published since a moment")
    replay.add_argument("service", choices=SERVICES)
    replay.add_argument("--since", required=True, help="ISO 8601 with a time zone")
    replay.add_argument("--routing-key", default=None, help="only events of this routing key, e.g. rkpd.sub_kegiatan.saved.v1")
    args = parser.parse_args(argv)

    from nameko.standalone.rpc import ClusterRpcClient

    from .broker import operator_amqp_uri, uri_user

    with ClusterRpcClient(timeout=60, uri=(uri := operator_amqp_uri()), user_id=uri_user(uri)) as rpc:
        proxy = getattr(rpc, args.service)
        if args.command == "unroutable":
            result = proxy.unroutable_events()
        else:
            result = proxy.replay_events(args.since, routing_key=args.routing_key)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())

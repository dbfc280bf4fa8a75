"""Operators' view of events a handler gave up on, and their replay.

    python -m ops.parked list SERVICE [--all]
    python -m ops.parked replay SERVICE ID [ID ...]

``replay`` runs the events in the order given, on one connection, and prints one answer per event: its outcome
(``applied``, ``duplicate``, ``parked again: ...``), or why it was refused (``NotFound``: no such event waiting,
e.g. replayed already); exit status 1 if any was refused.
"""
from __future__ import annotations

import argparse
import json
import sys

from sipd_common.settings import SERVICES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="events parked by a service's handlers")
    listing.add_argument("service", choices=SERVICES)
    listing.add_argument("--all", action="store_true", help="include those already replayed")
    replay = sub.add_parser("replay", help="run a parked event through its handler again")
    replay.add_argument("service", choices=SERVICES)
    replay.add_argument("ids", type=int, nargs="+", metavar="ID")
    args = parser.parse_args(argv)

    from nameko.exceptions import RemoteError
    from nameko.standalone.rpc import ClusterRpcClient

    from .broker import operator_amqp_uri, uri_user

    refused = False
    with ClusterRpcClient(timeout=30, uri=(uri := operator_amqp_uri()), user_id=uri_user(uri)) as rpc:
        proxy = getattr(rpc, args.service)
        if args.command == "list":
            result = proxy.parked_events(include_replayed=args.all)
        else:
            result = []
            for parked_id in args.ids:
                try:
                    result.append(proxy.replay_parked_event(parked_id))
                except RemoteError as exc:
                    if exc.exc_type in ("Forbidden", "Unauthenticated"):
                        raise  # not the event's: the caller is not the operator
                    refused = True
                    result.append({"id": parked_id, "refused": f"{exc.exc_type}: {exc.value}"})
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())

"""Operators' commands on the gateway's users. The first pusat administrator is made here; every
other user by an administrator, over the API.

    python -m gateway.admin create-pusat-admin USERNAME

The password comes from ``SIPD_ADMIN_PASSWORD`` if set (for scripts), else from a prompt (twice).
Run after the migrations (``python -m sipd_common.migrations``). The creation is audited as done by
the system's command, with the operating-system user who ran it.
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

from pydantic import ValidationError

from sipd_common.access import Role
from sipd_common.errors import DomainError
from sipd_common.logging import configure_logging
from sipd_common.settings import get_settings

from . import passwords
from .db import make_async_engine
from .users import UserNew, insert_user


def _password(username: str) -> str:
    password = os.environ.get("SIPD_ADMIN_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise SystemExit("no terminal to ask for the password: set SIPD_ADMIN_PASSWORD")
    first = getpass.getpass(f"password for {username}: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("the passwords differ")
    return first


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a name
        return "unknown"


async def _create(new: UserNew, operator: str) -> dict:
    engine = make_async_engine(get_settings())
    try:
        return await insert_user(engine, None, new, passwords.hash_password_sync(new.password),
                                 system=f"command create-pusat-admin ({operator})")
    finally:
        await engine.dispose()


def create_pusat_admin(username: str) -> int:
    password = _password(username)
    try:
        new = UserNew(username=username, password=password, role=Role.PUSAT_ADMIN)
    except ValidationError as exc:
        for error in exc.errors():
            print(f"{'.'.join(map(str, error['loc']))}: {error['msg']}", file=sys.stderr)
        return 2
    problems = passwords.policy_errors(password, username)
    if problems:
        print(f"password: {problems[0]['message']}", file=sys.stderr)
        return 2
    try:
        user = asyncio.run(_create(new, _operator()))
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    print(f"pusat administrator {user['username']} created (id {user['id']})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.admin", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-pusat-admin", help="create a Kemendagri (pusat) administrator")
    create.add_argument("username")
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    return create_pusat_admin(args.username)


if __name__ == "__main__":
    sys.exit(main())

"""An in-process cache of public reference responses, for the gateway.

The national codification changes only by decree and import, and every change
is published on ``referensi.events``: the gateway drops the whole cache on any
such event (and after a reconnect to the broker, when it may have missed some).
The TTL is a safety net, not the mechanism. Entries hold the serialised body and
its ETag, so a hit costs neither an RPC nor a serialisation.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Hashable


class ResponseCache:
    def __init__(self, ttl_seconds: float = 300.0, max_entries: int = 20_000):
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, bytes, str]] = OrderedDict()
        self.generation = 0  # bumped by clear(): a fill started before it is not stored

    def get(self, key: Hashable) -> tuple[bytes, str] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, body, etag = entry
        if expires < time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return body, etag

    def put(self, key: Hashable, body: bytes, etag: str, generation: int) -> None:
        if generation != self.generation:
            return  # the data changed while this response was being fetched
        self._entries[key] = (time.monotonic() + self.ttl, body, etag)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self, *_args) -> None:
        self._entries.clear()
        self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)

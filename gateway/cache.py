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
    def __init__(self, ttl_seconds: float = 300.0, max_entries: int = 20_000, max_bytes: int = 64 * 1024 * 1024):
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes  # search pages are many and large: bound the memory, not just the count
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[float, bytes, str]] = OrderedDict()
        self.generation = 0  # bumped by clear(): a fill started before it is not stored

    def get(self, key: Hashable) -> tuple[bytes, str] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, body, etag = entry
        if expires < time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return body, etag

    def put(self, key: Hashable, body: bytes, etag: str, generation: int) -> None:
        if generation != self.generation or len(body) > self.max_bytes:
            return  # the data changed while this response was being fetched, or it would not fit
        if key in self._entries:
            self._drop(key)
        self._entries[key] = (time.monotonic() + self.ttl, body, etag)
        self.size += len(body)
        while len(self._entries) > self.max_entries or self.size > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: Hashable) -> None:
        self.size -= len(self._entries.pop(key)[1])

    def clear(self, *_args) -> None:
        self._entries.clear()
        self.size = 0
        self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)

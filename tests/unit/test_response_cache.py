"""The gateway's reference cache: hits, expiry, eviction, and no stale fill after a clear."""
from __future__ import annotations

from gateway.cache import ResponseCache


def test_hit_until_cleared():
    cache = ResponseCache()
    cache.put("k", b"body", '"e"', cache.generation)
    assert cache.get("k") == (b"body", '"e"')
    cache.clear()
    assert cache.get("k") is None and len(cache) == 0


def test_a_fill_started_before_a_clear_is_not_stored():
    cache = ResponseCache()
    generation = cache.generation  # the RPC goes out ...
    cache.clear()  # ... the data changes meanwhile ...
    cache.put("k", b"old", '"o"', generation)  # ... and the old answer comes back
    assert cache.get("k") is None


def test_entries_expire(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("gateway.cache.time.monotonic", lambda: now[0])
    cache = ResponseCache(ttl_seconds=10)
    cache.put("k", b"b", '"e"', cache.generation)
    now[0] += 9.9
    assert cache.get("k") is not None
    now[0] += 0.2
    assert cache.get("k") is None


def test_least_recently_used_is_evicted_first():
    cache = ResponseCache(max_entries=2)
    for key in ("a", "b"):
        cache.put(key, key.encode(), key, cache.generation)
    cache.get("a")  # a is now the most recent
    cache.put("c", b"c", "c", cache.generation)
    assert cache.get("b") is None and cache.get("a") and cache.get("c")


def test_memory_is_bounded_by_bytes():
    cache = ResponseCache(max_bytes=10)
    cache.put("a", b"12345", "a", cache.generation)
    cache.put("b", b"12345", "b", cache.generation)
    cache.put("c", b"123", "c", cache.generation)  # 13 bytes: the oldest goes
    assert cache.get("a") is None and cache.get("b") and cache.get("c") and cache.size == 8
    cache.put("big", b"x" * 11, "big", cache.generation)  # larger than the whole cache: not kept
    assert cache.get("big") is None and cache.size == 8

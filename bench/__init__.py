"""Benchmarks of SIPD: gateway throughput, event propagation latency, a hello-world yardstick.

    python -m bench.run [--quick] [--strict]      # or: make bench ARGS=--quick

See docs/performance.md for what is measured, how, and the figures.
"""

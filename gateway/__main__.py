"""python -m gateway: serve the gateway with uvicorn (port from SIPD_GATEWAY_PORT, default 8000)."""
import os
import shutil
import tempfile

import uvicorn

from sipd_common.logging import configure_logging


def multiprocess_metrics(workers: int) -> None:
    """Several workers: each writes its counters to ``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` adds them up.
    The directory is emptied at start (counters of an earlier run would be added in)."""
    if workers <= 1:
        return
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="sipd-gateway-metrics-")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory  # the workers inherit it


def main() -> None:
    configure_logging(service="gateway")
    workers = int(os.environ.get("SIPD_GATEWAY_WORKERS", "1"))
    multiprocess_metrics(workers)
    uvicorn.run("gateway.app:app", host=os.environ.get("SIPD_GATEWAY_HOST", "127.0.0.1"),
                port=int(os.environ.get("SIPD_GATEWAY_PORT", "8000")),
                workers=workers,
                log_config=None, access_log=os.environ.get("SIPD_ACCESS_LOG", "0") == "1",
                loop="uvloop", http="httptools")


if __name__ == "__main__":
    main()

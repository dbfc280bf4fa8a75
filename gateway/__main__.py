"""python -m gateway: serve the gateway with uvicorn (port from SIPD_GATEWAY_PORT, default 8000)."""
import os

import uvicorn

from sipd_common.logging import configure_logging


def main() -> None:
    configure_logging()
    uvicorn.run("gateway.app:app", host=os.environ.get("SIPD_GATEWAY_HOST", "127.0.0.1"),
                port=int(os.environ.get("SIPD_GATEWAY_PORT", "8000")),
                workers=int(os.environ.get("SIPD_GATEWAY_WORKERS", "1")),
                log_config=None, access_log=os.environ.get("SIPD_ACCESS_LOG", "0") == "1",
                loop="uvloop", http="httptools")


if __name__ == "__main__":
    main()

"""The yardstick: the smallest FastAPI app, served by uvicorn as the gateway is (uvloop, httptools).

    python -m uvicorn bench.hello:app --loop uvloop --http httptools --log-level warning
"""
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def hello() -> dict:
    return {"message": "Hello World"}

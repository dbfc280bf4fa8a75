"""What every route shares: the RPC client, the scope of a request, pagination."""
from __future__ import annotations

import uuid
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Header, Path, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from sipd_common.settings import Settings

from .rpc import RpcClient

T = TypeVar("T")

KODE_PEMDA_PATTERN = r"^[0-9]{2}(\.[0-9]{2})?$"
KodePemda = Annotated[str, Path(pattern=KODE_PEMDA_PATTERN, description="Region code of the pemda: `32` (province) or `32.73` (regency/city).", examples=["32.73"])]
Tahun = Annotated[int, Path(ge=2000, le=2100, description="Fiscal year (tahun anggaran).", examples=[2027])]


async def rpc_client(request: Request) -> RpcClient:  # async: no thread-pool hop per request
    return request.app.state.rpc


Rpc = Annotated[RpcClient, Depends(rpc_client)]


def database(request: Request) -> AsyncEngine:
    return request.app.state.db


Db = Annotated[AsyncEngine, Depends(database)]


def settings(request: Request) -> Settings:
    return request.app.state.settings


Config = Annotated[Settings, Depends(settings)]

# typed str (not str | None) so the schema has no null: absent is the only "no precondition"
IfMatch = Annotated[str, Header(
    description="The `ETag` (version) last read; the change is refused with 412 if the record has changed since.",
    pattern=r'^(W/)?"?[0-9]{1,9}"?$', examples=['"3"'])]


IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
    description="Any unique string (a UUID): sent again with the same body, the create happens once and the first "
                "answer is answered again; with another body, 422. Kept by the record's owner with the record.",
    examples=["5b0c2f8e-7a51-4c1e-9d0b-2c4e8f1a3b6d"])]


def service_key(key: str | None) -> str:
    """What the gateway passes on: the client's key, or one of its own, so that a redelivered RPC creates once."""
    return key or f"gateway:{uuid.uuid4()}"


def if_match_version(if_match: str | None) -> int | None:
    return int(if_match.removeprefix("W/").strip('"')) if if_match else None


def etag(record: dict) -> dict:
    return {"ETag": f'"{record["version"]}"'}


class PageParams(BaseModel):
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


async def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=200, description="Items per page.")] = 50,
) -> PageParams:
    return PageParams(page=page, per_page=per_page)


Paging = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list; every list in the API has this shape."""

    items: list[T]
    total: int = Field(description="How many items the whole list has.")
    page: int
    per_page: int


def page_of(result: dict, paging: PageParams) -> dict:
    return {"items": result["items"], "total": result["total"], "page": paging.page, "per_page": paging.per_page}

"""One scenario list, every client: blocking and asyncio, socket and stdio, NDJSON and headers."""

from __future__ import annotations

import asyncio
import pathlib
from typing import Any, Callable, Iterator

from workbook_client import AsyncWorkbookClient, Framing, WorkbookClient

VARIANTS = [
    (kind, transport, framing)
    for kind in ("sync", "async")
    for transport in ("socket", "stdio")
    for framing in (Framing.NDJSON, Framing.HEADERS)
]


def variant_id(variant: tuple[str, str, Framing]) -> str:
    kind, transport, framing = variant
    return f"{kind}-{transport}-{framing.value}"


class AsyncAsSync:
    """Drives an AsyncWorkbookClient from a test body written for the blocking client."""

    def __init__(self, loop: asyncio.AbstractEventLoop, client: AsyncWorkbookClient) -> None:
        self.loop = loop
        self.client = client

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if not callable(attribute):
            return attribute

        def run(*args: Any, **kwargs: Any) -> Any:
            result = attribute(*args, **kwargs)
            return self.loop.run_until_complete(result) if asyncio.iscoroutine(result) else result

        return run


def open_client(
    variant: tuple[str, str, Framing], binary: str, socket_path: Callable[[], str], directory: pathlib.Path
) -> Iterator[Any]:
    """Yields a client (async ones wrapped in AsyncAsSync) for `variant`, closed afterwards."""
    kind, transport, framing = variant
    database = str(directory / "stdio.sqlite")
    if kind == "sync":
        if transport == "socket":
            client = WorkbookClient.connect(socket_path(), framing=framing)
        else:
            client = WorkbookClient.spawn(database, binary=binary, framing=framing)
        with client:
            yield client
        return
    loop = asyncio.new_event_loop()
    try:
        if transport == "socket":
            opening = AsyncWorkbookClient.connect(socket_path(), framing=framing)
        else:
            opening = AsyncWorkbookClient.spawn(database, binary=binary, framing=framing)
        aclient = loop.run_until_complete(opening)
        yield AsyncAsSync(loop, aclient)
        loop.run_until_complete(aclient.aclose())
    finally:
        loop.close()

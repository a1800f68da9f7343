"""The asyncio client: many requests in flight on one connection, replies matched by id."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, AsyncIterator, Callable, Optional, Sequence, TypeVar, Union

from .errors import ConnectionClosed, WorkbookError
from .framing import Framing
from .helpers import Helpers, default_socket_path, serve_stdio_command
from .methods import Request, subscribe_request
from .protocol import Connection, Notification, Reply
from .types import Change

T = TypeVar("T")

_CHUNK = 1 << 16


class AsyncWorkbookClient(Helpers):
    """An asyncio JSON-RPC client for the workbook server.

    The typed methods (`await client.progress_get("solidarity")`) are the same as the blocking
    client's. A reader task routes replies to the requests waiting for them and notifications to
    subscription iterators, so any number of coroutines may call at once.
    """

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        framing: Framing = Framing.NDJSON,
        *,
        process: Optional[asyncio.subprocess.Process] = None,
        timeout: Optional[float] = 30.0,
    ) -> None:
        self.timeout = timeout
        self._reader = reader
        self._writer = writer
        self._process = process
        self._connection = Connection(framing)
        self._futures: dict[int, asyncio.Future[Reply]] = {}
        self._arrived = asyncio.Condition()
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    @classmethod
    async def connect(
        cls, path: Optional[str] = None, *, framing: Framing = Framing.NDJSON, timeout: Optional[float] = 30.0
    ) -> "AsyncWorkbookClient":
        """Connects to the server's Unix socket (default: `$WORKBOOK_SOCKET`, then the XDG path)."""
        reader, writer = await asyncio.wait_for(asyncio.open_unix_connection(path or default_socket_path()), timeout)
        return cls(reader, writer, framing, timeout=timeout)

    @classmethod
    async def spawn(
        cls,
        database: Optional[str] = None,
        *,
        binary: Optional[str] = None,
        framing: Framing = Framing.HEADERS,
        args: Sequence[str] = (),
        stderr: Any = asyncio.subprocess.DEVNULL,
        timeout: Optional[float] = 30.0,
    ) -> "AsyncWorkbookClient":
        """Starts `workbook serve --stdio` as a child process and talks to it over its stdin/stdout."""
        process = await asyncio.create_subprocess_exec(
            *serve_stdio_command(binary, database, tuple(args)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )
        assert process.stdin is not None and process.stdout is not None
        return cls(process.stdout, process.stdin, framing, process=process, timeout=timeout)

    @property
    def framing(self) -> Framing:
        """The framing this client sends and expects."""
        return self._connection.framing

    async def call(self, method: str, params: Any = None) -> Any:
        """Calls `method` with by-name `params`; returns the result or raises :class:`WorkbookError`."""
        request_id, data = self._connection.request(method, params)
        reply = await self._send_and_wait([request_id], data)
        return reply[0].unwrap()

    async def request(self, request: Request[T]) -> T:
        """Sends a typed request from :mod:`workbook_client.methods` and returns its typed result."""
        result: T = await self.call(request.method, request.params)
        return result

    async def batch(self, requests: Sequence[Request[Any]]) -> list[Union[Any, WorkbookError]]:
        """Sends the requests as one batch; returns each result, or its :class:`WorkbookError`, in order."""
        ids, data = self._connection.batch([(r.method, r.params) for r in requests])
        replies = await self._send_and_wait(ids, data)
        return [reply.outcome() for reply in replies]

    async def notify(self, method: str, params: Any = None) -> None:
        """Sends a notification (the server never replies to one)."""
        self._writer.write(self._connection.session.notification(method, params))
        await self._writer.drain()

    async def subscribe(self, since: Optional[int] = None) -> "AsyncSubscription":
        """Subscribes to changes (with `since`, first catches up from that cursor)."""
        reply = await self.request(subscribe_request(since))
        return AsyncSubscription(self, reply["subscriptionId"], reply["cursor"])

    async def next_notification(self, timeout: Optional[float] = None) -> Notification:
        """The next notification that belongs to no subscription."""
        return await self._wait_for(self._connection.inbox.take_other, timeout)

    async def aclose(self) -> None:
        """Closes the connection (and, for a spawned server, waits for it to exit)."""
        with contextlib.suppress(OSError):
            if self._writer.can_write_eof():
                self._writer.write_eof()
        if self._process is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._process.wait(), 10)
            if self._process.returncode is None:
                self._process.kill()
                await self._process.wait()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()
        self._fail_all(ConnectionClosed("the client closed the connection"))

    async def __aenter__(self) -> "AsyncWorkbookClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # Internals

    async def _send_and_wait(self, ids: list[int], data: bytes) -> list[Reply]:
        if self._connection.inbox.closed is not None:
            raise ConnectionClosed("the connection is closed")
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in ids]
        self._futures.update(zip(ids, futures))
        try:
            self._writer.write(data)
            await self._writer.drain()
            return list(await asyncio.wait_for(asyncio.gather(*futures), self.timeout))
        finally:
            for request_id in ids:
                self._futures.pop(request_id, None)

    async def _wait_for(self, take: Callable[[], Optional[T]], timeout: Optional[float]) -> T:
        async def wait() -> T:
            async with self._arrived:
                while (item := take()) is None:
                    await self._arrived.wait()
                return item

        return await asyncio.wait_for(wait(), timeout)

    async def _read_loop(self) -> None:
        reason: BaseException = ConnectionClosed("the server closed the connection")
        try:
            while True:
                data = await self._reader.read(_CHUNK)
                for request_id, reply in self._connection.receive(data):
                    future = self._futures.pop(request_id, None)
                    if future is not None and not future.done():
                        future.set_result(reply)
                async with self._arrived:
                    self._arrived.notify_all()
                if not data:
                    break
        except Exception as error:  # a framing or protocol error ends the connection for every waiter
            reason = error
        self._fail_all(reason)
        async with self._arrived:
            self._arrived.notify_all()

    def _fail_all(self, error: BaseException) -> None:
        self._connection.close(error)
        for future in self._futures.values():
            if not future.done():
                future.set_exception(error)
        self._futures.clear()


class AsyncSubscription(AsyncIterator[Change]):
    """Changes from `workbook.changed`, in cursor order; `cursor` is the last one seen.

    `async for change in sub` waits for each change; it raises
    :class:`~workbook_client.SubscriptionDropped` when the server drops the subscription
    (resubscribe with `since=error.since`; after "databaseReplaced" reload first) and
    :class:`~workbook_client.ConnectionClosed` when the connection ends.
    """

    def __init__(self, client: AsyncWorkbookClient, subscription_id: Any, cursor: int) -> None:
        self.client = client
        self.id = subscription_id
        self.cursor = cursor

    async def next(self, timeout: Optional[float] = None) -> Change:
        """The next change, waiting up to `timeout` seconds (None: forever)."""
        change: Change = await self.client._wait_for(lambda: self.client._connection.inbox.take(self.id), timeout)
        self.cursor = change.get("cursor", self.cursor)
        return change

    async def __anext__(self) -> Change:
        return await self.next()

    async def aclose(self) -> None:
        """Unsubscribes and forgets buffered changes."""
        await self.client.unsubscribe(self.id)
        self.client._connection.inbox.forget(self.id)

    async def __aenter__(self) -> "AsyncSubscription":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

"""The blocking client: one connection, used from one thread."""

from __future__ import annotations

import os
import select
import socket
import subprocess
import time
from typing import IO, Any, Callable, Iterator, Optional, Protocol, Sequence, TypeVar, Union

from .errors import ConnectionClosed, WorkbookError
from .framing import Framing
from .helpers import Helpers, default_socket_path, serve_stdio_command
from .methods import Request, subscribe_request
from .protocol import Connection, Notification, Reply
from .types import Change

T = TypeVar("T")

_CHUNK = 1 << 16


class Transport(Protocol):
    """Moves bytes; `recv` returns b"" at end of stream and raises TimeoutError past `timeout`."""

    def send(self, data: bytes) -> None: ...

    def recv(self, timeout: Optional[float]) -> bytes: ...

    def close(self) -> None: ...


class SocketTransport:
    """A connected stream socket (the server's Unix socket)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def recv(self, timeout: Optional[float]) -> bytes:
        self.sock.settimeout(timeout)
        return self.sock.recv(_CHUNK)

    def close(self) -> None:
        self.sock.close()


class ProcessTransport:
    """The stdin/stdout of a `workbook serve --stdio` child process."""

    def __init__(self, process: "subprocess.Popen[bytes]") -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self._stdin: IO[bytes] = process.stdin
        self._stdout_fd = process.stdout.fileno()

    def send(self, data: bytes) -> None:
        self._stdin.write(data)
        self._stdin.flush()

    def recv(self, timeout: Optional[float]) -> bytes:
        readable, _, _ = select.select([self._stdout_fd], [], [], timeout)
        if not readable:
            raise TimeoutError(f"no reply within {timeout} s")
        return os.read(self._stdout_fd, _CHUNK)

    def close(self) -> None:
        """Closes stdin (the server then flushes its replies and exits 0) and reaps the process."""
        if not self._stdin.closed:
            self._stdin.close()
        try:
            deadline = time.monotonic() + 10
            # Read what is still unread, so a server blocked writing replies to a full pipe can finish.
            while self.recv(max(deadline - time.monotonic(), 0)):
                pass
            self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except (TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class WorkbookClient(Helpers):
    """A blocking JSON-RPC client for the workbook server.

    Every protocol method is a typed method (`client.progress_get("solidarity")`, see
    :class:`~workbook_client.helpers.Helpers`); `call` takes any method by name. Notifications that
    arrive while a request waits for its reply are buffered for :meth:`subscribe`'s iterator.
    """

    def __init__(self, transport: Transport, framing: Framing = Framing.NDJSON, timeout: Optional[float] = 30.0):
        self.transport = transport
        self.timeout = timeout
        self._connection = Connection(framing)
        self._replies: dict[int, Reply] = {}

    @classmethod
    def connect(
        cls, path: Optional[str] = None, *, framing: Framing = Framing.NDJSON, timeout: Optional[float] = 30.0
    ) -> "WorkbookClient":
        """Connects to the server's Unix socket (default: `$WORKBOOK_SOCKET`, then the XDG path)."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path or default_socket_path())
        except OSError:
            sock.close()
            raise
        return cls(SocketTransport(sock), framing, timeout)

    @classmethod
    def spawn(
        cls,
        database: Optional[str] = None,
        *,
        binary: Optional[str] = None,
        framing: Framing = Framing.HEADERS,
        args: Sequence[str] = (),
        stderr: Union[int, IO[Any], None] = subprocess.DEVNULL,
        timeout: Optional[float] = 30.0,
    ) -> "WorkbookClient":
        """Starts `workbook serve --stdio` as a child process and talks to it over its stdin/stdout."""
        process = subprocess.Popen(
            serve_stdio_command(binary, database, tuple(args)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
        return cls(ProcessTransport(process), framing, timeout)

    @property
    def framing(self) -> Framing:
        """The framing this client sends and expects."""
        return self._connection.framing

    def call(self, method: str, params: Any = None) -> Any:
        """Calls `method` with by-name `params`; returns the result or raises :class:`WorkbookError`."""
        request_id, data = self._connection.request(method, params)
        self.transport.send(data)
        return self._await_reply(request_id).unwrap()

    def request(self, request: Request[T]) -> T:
        """Sends a typed request from :mod:`workbook_client.methods` and returns its typed result."""
        result: T = self.call(request.method, request.params)
        return result

    def batch(self, requests: Sequence[Request[Any]]) -> list[Union[Any, WorkbookError]]:
        """Sends the requests as one batch; returns each result, or its :class:`WorkbookError`, in order."""
        ids, data = self._connection.batch([(r.method, r.params) for r in requests])
        self.transport.send(data)
        return [self._await_reply(i).outcome() for i in ids]

    def notify(self, method: str, params: Any = None) -> None:
        """Sends a notification (the server never replies to one)."""
        self.transport.send(self._connection.session.notification(method, params))

    def subscribe(self, since: Optional[int] = None) -> "Subscription":
        """Subscribes to changes (with `since`, first catches up from that cursor)."""
        reply = self.request(subscribe_request(since))
        return Subscription(self, reply["subscriptionId"], reply["cursor"])

    def next_notification(self, timeout: Optional[float] = None) -> Notification:
        """The next notification that belongs to no subscription (waits up to `timeout` seconds)."""
        return self._wait_for(self._connection.inbox.take_other, timeout)

    def close(self) -> None:
        """Closes the connection (and, for a spawned server, waits for it to exit)."""
        self._connection.close(ConnectionClosed("the client closed the connection"))
        self.transport.close()

    def __enter__(self) -> "WorkbookClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Internals

    def _await_reply(self, request_id: int) -> Reply:
        def take() -> Optional[Reply]:
            reply = self._replies.pop(request_id, None)
            if reply is None and self._connection.inbox.closed is not None:
                raise ConnectionClosed("the server closed the connection before replying")
            return reply

        return self._wait_for(take, self.timeout)

    def _wait_for(self, take: Callable[[], Optional[T]], timeout: Optional[float]) -> T:
        """Reads until `take()` returns something, or raises TimeoutError past `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (item := take()) is None:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise TimeoutError(f"nothing arrived within {timeout} s")
            self._pump(remaining)
        return item

    def _pump(self, timeout: Optional[float]) -> None:
        data = self.transport.recv(timeout)
        for request_id, reply in self._connection.receive(data):
            self._replies[request_id] = reply


class Subscription(Iterator[Change]):
    """Changes from `workbook.changed`, in cursor order; `cursor` is the last one seen.

    Iterating blocks until the next change; it raises :class:`~workbook_client.SubscriptionDropped`
    when the server drops the subscription (resubscribe with `since=error.since`, which is
    None when the database was replaced) and
    :class:`~workbook_client.ConnectionClosed` when the connection ends.
    """

    def __init__(self, client: WorkbookClient, subscription_id: Any, cursor: int) -> None:
        self.client = client
        self.id = subscription_id
        self.cursor = cursor

    def next(self, timeout: Optional[float] = None) -> Change:
        """The next change, waiting up to `timeout` seconds (None: forever) before TimeoutError."""
        change: Change = self.client._wait_for(lambda: self.client._connection.inbox.take(self.id), timeout)
        self.cursor = change.get("cursor", self.cursor)
        return change

    def __next__(self) -> Change:
        return self.next()

    def close(self) -> None:
        """Unsubscribes and forgets buffered changes."""
        self.client.unsubscribe(self.id)
        self.client._connection.inbox.forget(self.id)

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

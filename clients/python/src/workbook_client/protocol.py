"""JSON-RPC 2.0 message handling shared by both clients, with no I/O of its own (sans-I/O).

:class:`Session` turns calls into bytes and received bytes into :class:`Reply` and
:class:`Notification` events; :class:`Inbox` buffers notifications per subscription until an
iterator asks for them. The blocking and asyncio clients only move bytes and wait.
"""

from __future__ import annotations

import collections
import itertools
import json
from dataclasses import dataclass
from typing import Any, Optional, Union, cast

from .errors import ConnectionClosed, SubscriptionDropped, WorkbookError
from .framing import FrameDecoder, Framing, encode
from .types import Change

CHANGED = "workbook.changed"
DROPPED = "workbook.subscriptionDropped"


@dataclass(frozen=True)
class Reply:
    """A reply: `error` is set for an error reply, `result` otherwise. `id` may be None."""

    id: Any
    result: Any = None
    error: Optional[WorkbookError] = None

    def unwrap(self) -> Any:
        """The result, or raises the error."""
        if self.error is not None:
            raise self.error
        return self.result

    def outcome(self) -> Any:
        """The result, or the error as a value (for batches)."""
        return self.error if self.error is not None else self.result


@dataclass(frozen=True)
class Notification:
    """A message from the server that expects no reply."""

    method: str
    params: Any


Event = Union[Reply, Notification]


class ProtocolError(Exception):
    """The server sent something that is not JSON-RPC 2.0."""


class Session:
    """Request ids, encoding and decoding for one connection."""

    def __init__(self, framing: Framing) -> None:
        self.framing = framing
        self._decoder = FrameDecoder(framing)
        self._ids = itertools.count(1)

    def request(self, method: str, params: Any = None) -> tuple[int, bytes]:
        """A new request id and the bytes to send."""
        request_id = next(self._ids)
        return request_id, encode(self._message(method, params, request_id), self.framing)

    def batch(self, calls: list[tuple[str, Any]]) -> tuple[list[int], bytes]:
        """Ids and bytes for a batch of requests (one array, one frame)."""
        ids = [next(self._ids) for _ in calls]
        messages = [self._message(method, params, i) for (method, params), i in zip(calls, ids)]
        return ids, encode(messages, self.framing)

    def notification(self, method: str, params: Any = None) -> bytes:
        """The bytes of a notification (no id: the server never replies)."""
        return encode(self._message(method, params, None), self.framing)

    def receive(self, data: bytes) -> list[Event]:
        """The events completed by `data`; b"" means end of stream."""
        bodies = self._decoder.feed(data) if data else self._decoder.finish()
        return [event for body in bodies for event in self._events(body)]

    @staticmethod
    def _message(method: str, params: Any, request_id: Optional[int]) -> dict[str, Any]:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if request_id is not None:
            message["id"] = request_id
        return message

    @staticmethod
    def _events(body: bytes) -> list[Event]:
        try:
            decoded = json.loads(body)
        except ValueError as error:
            raise ProtocolError(f"unreadable message from the server: {body[:200]!r}") from error
        messages = decoded if isinstance(decoded, list) else [decoded]
        return [Session._event(message) for message in messages]

    @staticmethod
    def _event(message: Any) -> Event:
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            raise ProtocolError(f"not a JSON-RPC 2.0 message: {message!r}")
        if "method" in message:
            return Notification(str(message["method"]), message.get("params"))
        if "error" in message:
            return Reply(message.get("id"), error=WorkbookError.from_reply(message["error"]))
        if "result" in message:
            return Reply(message.get("id"), result=message["result"])
        raise ProtocolError(f"a reply with neither result nor error: {message!r}")


SubscriptionItem = Union[Change, SubscriptionDropped]


class Inbox:
    """Notifications waiting to be read: per subscription id, and the rest in arrival order."""

    def __init__(self) -> None:
        self._subscriptions: dict[Any, collections.deque[SubscriptionItem]] = collections.defaultdict(
            collections.deque
        )
        self.other: collections.deque[Notification] = collections.deque()
        self.closed: Optional[BaseException] = None

    def put(self, notification: Notification) -> None:
        """Files a notification under its subscription (`workbook.changed`, dropped) or `other`."""
        params = notification.params if isinstance(notification.params, dict) else {}
        subscription_id = params.get("subscriptionId")
        if notification.method == CHANGED and subscription_id is not None:
            self._subscriptions[subscription_id].append(cast(Change, params.get("change") or {}))
        elif notification.method == DROPPED and subscription_id is not None:
            dropped = SubscriptionDropped(
                subscription_id, int(params.get("cursor", 0)), str(params.get("reason", "")), str(params.get("message", ""))
            )
            self._subscriptions[subscription_id].append(dropped)
        else:
            self.other.append(notification)

    def take(self, subscription_id: Any) -> Optional[Change]:
        """The next change for the subscription, or None when none is buffered.

        Raises :class:`SubscriptionDropped` when the server dropped it, and
        :class:`ConnectionClosed` once the connection is gone and the buffer is empty.
        """
        queue = self._subscriptions.get(subscription_id)
        if queue:
            item = queue.popleft()
            if isinstance(item, SubscriptionDropped):
                raise item
            return item
        if self.closed is not None:
            raise ConnectionClosed("the connection closed") from self.closed
        return None

    def take_other(self) -> Optional[Notification]:
        """The next notification that belongs to no subscription, or None."""
        if self.other:
            return self.other.popleft()
        if self.closed is not None:
            raise ConnectionClosed("the connection closed") from self.closed
        return None

    def forget(self, subscription_id: Any) -> None:
        """Drops whatever is buffered for an ended subscription."""
        self._subscriptions.pop(subscription_id, None)


class Connection:
    """One connection's state: ids awaiting replies (in the order sent) and the inbox.

    Replies are matched by id; an error reply with a null id (a parse error or an invalid request,
    which the server can only answer that way) belongs to the oldest request still waiting, since the
    server answers the requests of one connection in the order it receives them.
    """

    def __init__(self, framing: Framing) -> None:
        self.session = Session(framing)
        self.inbox = Inbox()
        self._waiting: dict[int, None] = {}

    @property
    def framing(self) -> Framing:
        """The connection's framing."""
        return self.session.framing

    def request(self, method: str, params: Any = None) -> tuple[int, bytes]:
        """Registers a request; returns its id and bytes."""
        request_id, data = self.session.request(method, params)
        self._waiting[request_id] = None
        return request_id, data

    def batch(self, calls: list[tuple[str, Any]]) -> tuple[list[int], bytes]:
        """Registers a batch of requests; returns their ids and the bytes."""
        ids, data = self.session.batch(calls)
        self._waiting.update(dict.fromkeys(ids))
        return ids, data

    def receive(self, data: bytes) -> list[tuple[int, Reply]]:
        """Files notifications in the inbox; returns the replies with the request ids they answer.

        b"" means end of stream: the inbox is closed and the ids still waiting are forgotten.
        """
        replies: list[tuple[int, Reply]] = []
        for event in self.session.receive(data):
            if isinstance(event, Notification):
                self.inbox.put(event)
                continue
            if event.id is None:
                request_id = next(iter(self._waiting), None)
            else:
                request_id = event.id if event.id in self._waiting else None
            if request_id is None:
                raise ProtocolError(f"a reply to no request: {event!r}")
            del self._waiting[request_id]
            replies.append((request_id, event))
        if not data:
            self.close(ConnectionClosed("the server closed the connection"))
        return replies

    def close(self, reason: BaseException) -> None:
        """Marks the connection gone: waiting requests and subscription iterators fail with `reason`."""
        if self.inbox.closed is None:
            self.inbox.closed = reason
        self._waiting.clear()

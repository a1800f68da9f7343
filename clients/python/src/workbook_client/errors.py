"""Errors raised by the clients."""

from __future__ import annotations

from typing import Any, Mapping

# Codes from PROTOCOL.md.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
WORKBOOK_NOT_FOUND = 1001
PROMPT_NOT_FOUND = 1002
PASS_NOT_FOUND = 1003
REVISION_CONFLICT = 1004
ANSWER_TOO_LARGE = 1005
PACK_INVALID = 1006
PASS_CLOSED = 1007
IMPORT_INVALID = 1008
READ_ONLY = 1009
STORAGE_FAILURE = 1010


class WorkbookError(Exception):
    """A JSON-RPC error reply: `code`, `message` and `data` exactly as the server sent them.

    `kind` is `data.kind` (a stable string such as "revisionConflict"), or None for the
    standard JSON-RPC errors that carry no kind.
    """

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{message} (code {code})")
        self.code = code
        self.message = message
        self.data = data

    @classmethod
    def from_reply(cls, error: Mapping[str, Any]) -> "WorkbookError":
        """The error for a reply's `error` member."""
        return cls(int(error.get("code", INTERNAL_ERROR)), str(error.get("message", "")), error.get("data"))

    @property
    def kind(self) -> str | None:
        """`data.kind`, when the server sent one."""
        if isinstance(self.data, Mapping):
            kind = self.data.get("kind")
            return kind if isinstance(kind, str) else None
        return None

    @property
    def current_revision(self) -> int | None:
        """For a revision conflict (1004): the revision the answer is at now."""
        return self.data.get("currentRevision") if isinstance(self.data, Mapping) else None

    @property
    def current(self) -> Any:
        """For a revision conflict (1004): the current answer (or None when there is none)."""
        return self.data.get("current") if isinstance(self.data, Mapping) else None

    def __repr__(self) -> str:
        return f"WorkbookError(code={self.code!r}, message={self.message!r}, data={self.data!r})"


class ConnectionClosed(ConnectionError):
    """The server closed the connection (or the process exited) before replying."""


#: `workbook.subscriptionDropped` reasons (stable codes).
QUEUE_FULL = "queueFull"
DATABASE_REPLACED = "databaseReplaced"


class SubscriptionDropped(Exception):
    """The server dropped a subscription; resubscribe with `client.subscribe(since=error.since)`.

    `reason` is "queueFull" (the client fell behind: `cursor` is the last change delivered, so
    resubscribing from it catches up) or "databaseReplaced" (a backup was restored into the served
    database: `cursor` is 0, old cursors mean nothing, so reload what you show and resubscribe from
    the new head). `message` is the server's explanation, for logs.
    """

    def __init__(self, subscription_id: str, cursor: int, reason: str, message: str = "") -> None:
        super().__init__(f"subscription {subscription_id} dropped at cursor {cursor}: {reason}"
                         + (f" ({message})" if message else ""))
        self.subscription_id = subscription_id
        self.cursor = cursor
        self.reason = reason
        self.message = message

    @property
    def database_replaced(self) -> bool:
        """True when the served database was replaced: reload everything, the old cursors are void."""
        return self.reason == DATABASE_REPLACED

    @property
    def since(self) -> int | None:
        """What to pass as `since` when resubscribing: `cursor` to catch up after "queueFull",
        None (the new head, no catch-up) after "databaseReplaced"."""
        return None if self.database_replaced else self.cursor

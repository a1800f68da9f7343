"""Message framing: NDJSON and LSP-style Content-Length headers, with no I/O of its own.

Both the blocking and the asyncio client feed received bytes into a :class:`FrameDecoder`
and send what :func:`encode` returns, so the two variants cannot drift apart.
"""

from __future__ import annotations

import enum
import json
from typing import Any


class Framing(str, enum.Enum):
    """How messages are delimited on a connection (the server detects it from the first bytes)."""

    NDJSON = "ndjson"
    HEADERS = "headers"


class FramingError(Exception):
    """The peer sent bytes that do not follow the connection's framing."""


def dumps(message: Any) -> bytes:
    """Compact UTF-8 JSON, never spanning lines (NDJSON needs one text per line)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode(message: Any, framing: Framing) -> bytes:
    """The bytes that carry `message` in `framing`."""
    body = dumps(message)
    if framing is Framing.NDJSON:
        return body + b"\n"
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class FrameDecoder:
    """Splits a byte stream into message bodies; feed it whatever arrives, in any chunks."""

    def __init__(self, framing: Framing, max_message_bytes: int = 64 << 20) -> None:
        self.framing = framing
        self.max_message_bytes = max_message_bytes
        self._buffer = bytearray()
        self._body_length: int | None = None

    def feed(self, data: bytes) -> list[bytes]:
        """Adds `data` and returns every body completed by it, in order."""
        self._buffer += data
        split = self._next_line if self.framing is Framing.NDJSON else self._next_body
        bodies: list[bytes] = []
        while (body := split()) is not None:
            if body.strip():
                bodies.append(body)
        if len(self._buffer) > self.max_message_bytes:
            raise FramingError(f"message larger than {self.max_message_bytes} bytes")
        return bodies

    def finish(self) -> list[bytes]:
        """At EOF: a final NDJSON line without its newline still counts; partial headers do not."""
        if self.framing is Framing.NDJSON and self._buffer.strip():
            rest, self._buffer = bytes(self._buffer), bytearray()
            return [rest]
        return []

    def _next_line(self) -> bytes | None:
        end = self._buffer.find(b"\n")
        if end < 0:
            return None
        line = bytes(self._buffer[:end]).rstrip(b"\r")
        del self._buffer[: end + 1]
        return line

    def _next_body(self) -> bytes | None:
        if self._body_length is None:
            self._body_length = self._parse_headers()
            if self._body_length is None:
                return None
        if len(self._buffer) < self._body_length:
            return None
        body = bytes(self._buffer[: self._body_length])
        del self._buffer[: self._body_length]
        self._body_length = None
        return body

    def _parse_headers(self) -> int | None:
        """Consumes one header block (lines ended by CRLF or LF, then an empty line)."""
        length: int | None = None
        position = 0
        while True:
            end = self._buffer.find(b"\n", position)
            if end < 0:
                return None
            line = bytes(self._buffer[position:end]).rstrip(b"\r")
            position = end + 1
            if not line:
                if length is None:
                    raise FramingError("header block without Content-Length")
                del self._buffer[:position]
                return length
            name, colon, value = line.partition(b":")
            if not colon:
                raise FramingError(f"malformed header line: {line!r}")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError as error:
                    raise FramingError(f"bad Content-Length: {value!r}") from error
                if length < 0 or length > self.max_message_bytes:
                    raise FramingError(f"Content-Length {length} out of range")

"""Interoperability: two independent, widely used JSON-RPC libraries from PyPI drive the real server,
unmodified, one per framing, to show that it speaks standard JSON-RPC 2.0 and not a dialect.

- python-lsp-jsonrpc (the JSON-RPC layer of python-lsp-server): Content-Length framing over the
  stdin/stdout of `workbook serve --stdio`, with its own JsonRpcStreamReader/Writer and Endpoint.
- jsonrpcclient: builds requests and parses replies; we carry its JSON texts as NDJSON lines over the
  Unix socket (the library is transport-agnostic by design).
"""

from __future__ import annotations

import json
import pathlib
import queue
import socket
import subprocess
import threading
from typing import Any, Iterator

import pytest

from conftest import Server, missing

pytestmark = pytest.mark.interop

try:
    from pylsp_jsonrpc.endpoint import Endpoint
    from pylsp_jsonrpc.exceptions import JsonRpcException
    from pylsp_jsonrpc.streams import JsonRpcStreamReader, JsonRpcStreamWriter
except ImportError:  # pragma: no cover - the run-tests.sh venv installs it
    Endpoint = None

try:
    import jsonrpcclient
except ImportError:  # pragma: no cover
    jsonrpcclient = None

TIMEOUT = 15


# python-lsp-jsonrpc over stdio (Content-Length framing)


class LspSession:
    """An Endpoint wired to a `workbook serve --stdio` process; notifications land in `notifications`."""

    def __init__(self, binary: str, database: str) -> None:
        self.process = subprocess.Popen(
            [binary, "serve", "--stdio", "--database", database],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.notifications: "queue.Queue[tuple[str, Any]]" = queue.Queue()
        dispatcher = {
            "workbook.changed": lambda params: self.notifications.put(("workbook.changed", params)),
            "workbook.subscriptionDropped": lambda params: self.notifications.put(("dropped", params)),
        }
        self.writer = JsonRpcStreamWriter(self.process.stdin)
        self.reader = JsonRpcStreamReader(self.process.stdout)
        self.endpoint = Endpoint(dispatcher, self.writer.write)
        self.thread = threading.Thread(target=self.reader.listen, args=(self.endpoint.consume,), daemon=True)
        self.thread.start()

    def call(self, method: str, params: Any = None) -> Any:
        return self.endpoint.request(method, params).result(timeout=TIMEOUT)

    def close(self) -> int:
        self.writer.close()  # EOF on the server's stdin: it flushes and exits 0
        code = self.process.wait(timeout=TIMEOUT)
        self.thread.join(timeout=TIMEOUT)
        self.endpoint.shutdown()
        return code


@pytest.fixture
def lsp(workbook_bin: str, tmp_path: pathlib.Path) -> Iterator[LspSession]:
    if Endpoint is None:
        missing("python-lsp-jsonrpc is not installed")
    session = LspSession(workbook_bin, str(tmp_path / "lsp.sqlite"))
    yield session
    assert session.close() == 0


def test_lsp_initialize_with_lsp_style_params_reports_header_framing(lsp: LspSession) -> None:
    info = lsp.call("initialize", {"processId": 1, "rootUri": None, "capabilities": {}, "clientInfo": {"name": "pylsp"}})
    assert (info["name"], info["framing"]) == ("workbook", "headers")


def test_lsp_ping_and_error_reply(lsp: LspSession) -> None:
    assert lsp.call("server.ping") == {}
    with pytest.raises(JsonRpcException) as raised:
        lsp.call("no.such.method")
    assert raised.value.code == -32601


def test_lsp_many_requests_in_flight_get_their_own_replies(lsp: LspSession) -> None:
    futures = [lsp.endpoint.request("server.ping" if i % 2 else "server.info") for i in range(20)]
    results = [f.result(timeout=TIMEOUT) for f in futures]
    assert [r == {} for r in results] == [i % 2 == 1 for i in range(20)]


def test_lsp_saves_an_answer_and_reads_progress(lsp: LspSession) -> None:
    require_method(lambda: lsp.call("workbooks.list"), JsonRpcException)
    saved = lsp.call("answers.save", {"promptId": "solidarity-means", "text": "Showing up, again.", "status": "final"})
    assert (saved["revision"], saved["answer"]["text"], saved["answer"]["status"]) == (1, "Showing up, again.", "final")
    progress = lsp.call("progress.get", {"workbookId": "solidarity"})
    assert (progress["total"], progress["answered"], progress["remaining"], progress["words"]) == (22, 1, 21, 3)


def test_lsp_receives_workbook_changed_notifications(lsp: LspSession) -> None:
    require_method(lambda: lsp.call("workbooks.list"), JsonRpcException)
    require_method(lambda: lsp.call("subscribe"), JsonRpcException)
    lsp.call("answers.save", {"promptId": "solidarity-means", "text": "one"})
    received = [lsp.notifications.get(timeout=TIMEOUT) for _ in range(2)]
    assert [(method, params["change"]["type"], params["change"].get("promptId")) for method, params in received] == [
        ("workbook.changed", "pass.started", None),
        ("workbook.changed", "answer.saved", "solidarity-means"),
    ]


# jsonrpcclient over the Unix socket (NDJSON)


class LineSocket:
    """NDJSON over the server's socket: one JSON text per line each way."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect(path)
        self.lines = self.sock.makefile("rb")

    def send(self, text: str) -> None:
        self.sock.sendall(text.encode() + b"\n")

    def receive(self) -> str:
        line = self.lines.readline()
        assert line.endswith(b"\n"), f"no complete reply line: {line!r}"
        return line.decode()

    def call(self, text: str) -> Any:
        self.send(text)
        return jsonrpcclient.parse_json(self.receive())

    def close(self) -> None:
        self.lines.close()
        self.sock.close()


@pytest.fixture
def ndjson(server: Server) -> Iterator[LineSocket]:
    if jsonrpcclient is None:
        missing("jsonrpcclient is not installed")
    line_socket = LineSocket(server.socket)
    yield line_socket
    line_socket.close()


def test_jsonrpcclient_ping_echoes_integer_and_uuid_ids(ndjson: LineSocket) -> None:
    assert ndjson.call(jsonrpcclient.request_json("server.ping", id=41)) == jsonrpcclient.Ok({}, 41)
    request = jsonrpcclient.request_uuid("server.info")
    reply = ndjson.call(json.dumps(request))
    assert isinstance(reply, jsonrpcclient.Ok)
    assert (reply.id, reply.result["framing"]) == (request["id"], "ndjson")


def test_jsonrpcclient_error_reply_is_parsed_with_code_and_data(ndjson: LineSocket) -> None:
    reply = ndjson.call(jsonrpcclient.request_json("no.such.method", params={"a": 1}, id=7))
    assert reply == jsonrpcclient.Error(-32601, "Method not found: no.such.method", {"kind": "methodNotFound", "method": "no.such.method"}, 7)


def test_jsonrpcclient_batch_and_notification(ndjson: LineSocket) -> None:
    ndjson.send(jsonrpcclient.notification_json("server.ping"))  # never answered
    batch = [jsonrpcclient.request("server.ping", id=1), jsonrpcclient.request("nope", id=2)]
    replies = list(ndjson.call(json.dumps(batch)))
    assert sorted(replies, key=lambda r: r.id) == [
        jsonrpcclient.Ok({}, 1),
        jsonrpcclient.Error(-32601, "Method not found: nope", {"kind": "methodNotFound", "method": "nope"}, 2),
    ]


def test_jsonrpcclient_saves_answers_and_reads_exact_progress(ndjson: LineSocket) -> None:
    def call(method: str, params: Any = None) -> Any:
        reply = ndjson.call(jsonrpcclient.request_json(method, params=params))
        if isinstance(reply, jsonrpcclient.Error):
            raise RuntimeError(reply)
        return reply.result

    require_method(lambda: call("workbooks.list"), RuntimeError)
    call("answers.save", {"promptId": "who-do-i-stand-with", "text": "My neighbours", "status": "final"})
    call("answers.save", {"promptId": "solidarity-means", "text": "a draft"})
    call("answers.skip", {"promptId": "performative-allyship"})
    progress = call("progress.get", {"workbookId": "solidarity"})
    assert {k: progress[k] for k in ("total", "answered", "drafts", "skipped", "remaining", "percent", "words")} == {
        "total": 22,
        "answered": 1,
        "drafts": 1,
        "skipped": 1,
        "remaining": 20,
        "percent": 4,
        "words": 4,
    }


def require_method(probe: Any, error_type: type[BaseException]) -> None:
    """Skips (locally; fails in CI) until the server serves the probed method."""
    try:
        probe()
    except error_type as error:
        if "-32601" in repr(error) or getattr(error, "code", None) == -32601:
            missing(f"the server does not serve this method yet: {error}")
        raise

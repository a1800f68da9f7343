"""The client library against the real server, in every variant (blocking/asyncio × socket/stdio × framing)."""

from __future__ import annotations

import asyncio
import json
import pathlib
import re
import socket
from typing import Any, Iterator

import pytest

from clients import VARIANTS, open_client, variant_id
from conftest import Server, missing, start_server, stop_server
from workbook_client import AsyncWorkbookClient, Framing, WorkbookClient, WorkbookError, methods

DEFAULT_LIMITS = {
    "maxMessageBytes": 4194304,
    "maxBatchItems": 100,
    "maxAnswerBytes": 1048576,
    "maxDepth": 64,
    "maxConnections": 256,
    "idleTimeoutSeconds": 60,
}


@pytest.fixture(params=VARIANTS, ids=variant_id)
def client(request: pytest.FixtureRequest, workbook_bin: str, tmp_path: pathlib.Path) -> Iterator[Any]:
    """Every client variant; socket variants get a server of their own."""
    _, transport, framing = request.param
    server: list[Server] = []

    def socket_path() -> str:
        server.append(start_server(workbook_bin, tmp_path))
        return server[0].socket

    try:
        yield from open_client(request.param, workbook_bin, socket_path, tmp_path)
    finally:
        for running in server:
            stop_server(running)


def test_ping_returns_an_empty_object(client: Any) -> None:
    assert client.server_ping() == {}


def test_server_info_reports_this_connections_framing_and_the_default_limits(client: Any) -> None:
    info = client.server_info()
    assert (info["name"], info["apiLevel"], info["framing"]) == ("workbook", 1, client.framing.value)
    assert {k: info["limits"][k] for k in DEFAULT_LIMITS} == DEFAULT_LIMITS
    assert {"framing.ndjson", "framing.headers", "batch"} <= set(info["capabilities"])
    assert len(info["databaseId"]) == 36


def test_initialize_returns_server_info_for_the_same_database(client: Any) -> None:
    assert client.initialize("pytest", "1.0")["databaseId"] == client.server_info()["databaseId"]


def test_an_unknown_method_raises_workbook_error_with_code_and_data(client: Any) -> None:
    with pytest.raises(WorkbookError) as raised:
        client.call("no.such.method", {"x": 1})
    error = raised.value
    assert (error.code, error.message, error.data, error.kind) == (
        -32601,
        "Method not found: no.such.method",
        {"kind": "methodNotFound", "method": "no.such.method"},
        "methodNotFound",
    )


def test_an_unknown_param_is_named_in_the_error(client: Any) -> None:
    with pytest.raises(WorkbookError) as raised:
        client.call("server.ping", {"bogus": 1})
    assert (raised.value.code, raised.value.data) == (-32602, {"field": "bogus", "kind": "invalidParams"})


def test_a_batch_returns_each_result_or_error_in_order(client: Any) -> None:
    results = client.batch([methods.server_ping(), methods.Request("nope"), methods.server_ping()])
    assert results[0] == {} and results[2] == {}
    assert isinstance(results[1], WorkbookError) and results[1].code == -32601


def test_a_notification_gets_no_reply(client: Any) -> None:
    client.notify("server.ping")
    client.notify("no.such.method")
    # A stray reply would reach the client first and fail this call as a reply to no request.
    assert client.server_ping() == {}


def test_rpc_discover_returns_the_openrpc_document(client: Any) -> None:
    document = client.rpc_discover()
    assert document["openrpc"].startswith("1.3")
    assert document["info"]["title"] == "workbook"
    assert isinstance(document["methods"], list)


def test_every_method_the_helpers_call_is_in_the_openrpc_document(workbook_bin: str, tmp_path: pathlib.Path) -> None:
    source = (pathlib.Path(methods.__file__)).read_text()
    helper_methods = set(re.findall(r'Request\(\s*"([a-zA-Z.]+)"', source))
    assert len(helper_methods) == 30
    with WorkbookClient.spawn(str(tmp_path / "db.sqlite"), binary=workbook_bin) as client:
        document = client.rpc_discover()
    listed = {method["name"] for method in document["methods"]}
    if not listed:
        missing("the OpenRPC document lists no methods yet")
    assert sorted(helper_methods - listed) == []


def test_many_concurrent_async_calls_each_get_their_own_reply(server: Server) -> None:
    async def scenario() -> list[Any]:
        async with await AsyncWorkbookClient.connect(server.socket) as client:
            calls = [client.server_ping() if i % 2 else client.call("no.such", None) for i in range(40)]
            return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(scenario())
    assert [r if r == {} else r.code for r in results] == [-32601 if i % 2 == 0 else {} for i in range(40)]


def test_a_spawned_stdio_server_exits_zero_when_the_client_closes(workbook_bin: str, tmp_path: pathlib.Path) -> None:
    client = WorkbookClient.spawn(str(tmp_path / "db.sqlite"), binary=workbook_bin)
    assert client.server_ping() == {}
    client.close()
    transport: Any = client.transport
    assert transport.process.returncode == 0


@pytest.mark.parametrize("framing", list(Framing))
def test_ids_are_echoed_exactly_even_past_2_to_the_53(server: Server, framing: Framing) -> None:
    """Raw bytes on the socket: the reply framing spelling and big ids, as strict clients need them."""
    big = 2**60 + 1
    body = json.dumps({"jsonrpc": "2.0", "id": big, "method": "server.ping"}).encode()
    with socket.socket(socket.AF_UNIX) as raw:
        raw.settimeout(10)
        raw.connect(server.socket)
        if framing is Framing.NDJSON:
            raw.sendall(body + b"\n")
        else:
            raw.sendall(b"content-length: %d\r\nContent-Type: application/json\r\n\r\n" % len(body) + body)
        raw.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := raw.recv(4096):
            received += chunk
    reply = b'{"jsonrpc":"2.0","id":%d,"result":{}}' % big
    expected = reply + b"\n" if framing is Framing.NDJSON else b"Content-Length: %d\r\n\r\n" % len(reply) + reply
    assert received == expected

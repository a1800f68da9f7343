"""Framing and message routing, without a server (the sans-I/O core both clients share)."""

from __future__ import annotations

import pytest

from workbook_client import ConnectionClosed, FrameDecoder, Framing, FramingError, SubscriptionDropped, encode
from workbook_client.protocol import Connection, Notification

MESSAGES = [{"jsonrpc": "2.0", "id": 1, "result": {}}, {"jsonrpc": "2.0", "id": 2, "result": "ü\nx"}]


def test_encode_ndjson_is_one_compact_line() -> None:
    assert encode({"a": [1, "ü\n"]}, Framing.NDJSON) == '{"a":[1,"ü\\n"]}\n'.encode()


def test_encode_headers_uses_the_exact_spelling_and_byte_length() -> None:
    assert encode({"t": "é"}, Framing.HEADERS) == b'Content-Length: 10\r\n\r\n{"t":"\xc3\xa9"}'


@pytest.mark.parametrize("framing", list(Framing))
def test_decoder_finds_the_same_bodies_at_every_split_point(framing: Framing) -> None:
    stream = b"".join(encode(m, framing) for m in MESSAGES)
    expected = [encode(m, Framing.NDJSON)[:-1] for m in MESSAGES]
    for split in range(len(stream) + 1):
        decoder = FrameDecoder(framing)
        assert decoder.feed(stream[:split]) + decoder.feed(stream[split:]) == expected, split


def test_ndjson_strips_cr_skips_blank_lines_and_keeps_a_last_line_without_newline() -> None:
    decoder = FrameDecoder(Framing.NDJSON)
    assert decoder.feed(b'{"a":1}\r\n\n\n{"b":2}') == [b'{"a":1}']
    assert decoder.finish() == [b'{"b":2}']


def test_headers_are_case_insensitive_accept_bare_lf_and_ignore_others() -> None:
    decoder = FrameDecoder(Framing.HEADERS)
    data = b"content-length: 2\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{}"
    assert decoder.feed(data) == [b"{}"]


def test_headers_without_content_length_are_an_error() -> None:
    with pytest.raises(FramingError):
        FrameDecoder(Framing.HEADERS).feed(b"Content-Type: x\r\n\r\n{}")


def test_replies_match_ids_and_a_null_id_error_goes_to_the_oldest_request() -> None:
    connection = Connection(Framing.NDJSON)
    first, _ = connection.request("a")
    second, _ = connection.request("b")
    data = (
        b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}\n'
        b'{"jsonrpc":"2.0","id":%d,"result":7}\n' % second
    )
    replies = connection.receive(data)
    assert [(i, r.result, r.error.code if r.error else None) for i, r in replies] == [
        (first, None, -32700),
        (second, 7, None),
    ]


def test_batch_replies_are_flattened_and_matched() -> None:
    connection = Connection(Framing.HEADERS)
    ids, data = connection.batch([("server.ping", None), ("nope", {"x": 1})])
    assert data.startswith(b"Content-Length: ")
    body = b'[{"jsonrpc":"2.0","id":%d,"result":{}},{"jsonrpc":"2.0","id":%d,"error":{"code":-32601,"message":"m"}}]' % (
        ids[0],
        ids[1],
    )
    replies = connection.receive(encode_raw(body))
    assert [i for i, _ in replies] == ids
    assert replies[0][1].outcome() == {}
    assert replies[1][1].outcome().code == -32601


def test_notifications_go_to_their_subscription_and_others_wait_apart() -> None:
    connection = Connection(Framing.NDJSON)
    changed = b'{"jsonrpc":"2.0","method":"workbook.changed","params":{"subscriptionId":"s1","change":{"cursor":4}}}\n'
    other = b'{"jsonrpc":"2.0","method":"something.else","params":{"k":1}}\n'
    dropped = b'{"jsonrpc":"2.0","method":"workbook.subscriptionDropped","params":{"subscriptionId":"s1","cursor":9,"reason":"queueFull","message":"fell behind"}}\n'
    assert connection.receive(changed + other + dropped) == []
    inbox = connection.inbox
    assert inbox.take("s1") == {"cursor": 4}
    with pytest.raises(SubscriptionDropped) as dropped_error:
        inbox.take("s1")
    error = dropped_error.value
    assert (error.cursor, error.reason, error.message, error.since, error.database_replaced) == (9, "queueFull", "fell behind", 9, False)
    assert inbox.take("s1") is None
    assert inbox.take_other() == Notification("something.else", {"k": 1})
    connection.receive(b"")
    with pytest.raises(ConnectionClosed):
        inbox.take("s1")


def encode_raw(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_a_database_replaced_drop_says_to_resubscribe_from_the_new_head() -> None:
    # Given a subscription dropped because the served database was replaced
    connection = Connection(Framing.NDJSON)
    dropped = (b'{"jsonrpc":"2.0","method":"workbook.subscriptionDropped","params":{"subscriptionId":"s2",'
               b'"cursor":0,"reason":"databaseReplaced","message":"the database was replaced"}}\n')
    assert connection.receive(dropped) == []
    # When the iterator reads it
    with pytest.raises(SubscriptionDropped) as dropped_error:
        connection.inbox.take("s2")
    # Then it names the reason, and `since` is None (no catch-up from an old cursor)
    error = dropped_error.value
    assert (error.subscription_id, error.cursor, error.reason, error.database_replaced, error.since) == (
        "s2", 0, "databaseReplaced", True, None)
    assert error.message == "the database was replaced"

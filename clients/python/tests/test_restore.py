"""A restore under a live subscription: the real server, a real socket, `workbook restore` run as
another process. The iterator raises `SubscriptionDropped` naming the reason, and its `since`
resubscribes correctly (an old cursor would be -32602 past the restored log's head)."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from conftest import Server
from workbook_client import DATABASE_REPLACED, AsyncWorkbookClient, SubscriptionDropped, WorkbookError

PROMPT = "what-is-solidarity.better-future"


def run(server: Server, *args: str) -> None:
    done = subprocess.run([server.binary, *args, "--database", server.database], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_restore_drops_the_subscription_as_database_replaced_and_since_resubscribes(server: Server, tmp_path) -> None:
    # Given a database backed up at cursor 2, saved to again (cursor 3), and a subscriber at the head
    backup = str(tmp_path / "backup.sqlite")
    with server.client() as wb:
        before = wb.call("server.info")["databaseId"]
        wb.answers_save(PROMPT, "in the backup")
        run(server, "backup", backup)
        wb.answers_save(PROMPT, "after the backup")
        sub = wb.subscribe()
        assert sub.cursor == 3
        # When another process restores the backup into the served database
        run(server, "restore", backup)
        # Then the iterator raises SubscriptionDropped for the replaced database
        with pytest.raises(SubscriptionDropped) as dropped:
            sub.next(timeout=10)
        error = dropped.value
        assert (error.subscription_id, error.reason, error.cursor, error.since) == (sub.id, DATABASE_REPLACED, 0, None)
        assert error.database_replaced and error.message != ""
        assert wb.call("server.info")["databaseId"] != before
        assert wb.answers_get(PROMPT)["text"] == "in the backup"
        # And the old cursor is past the restored log's head, while `since` subscribes at that head
        with pytest.raises(WorkbookError) as stale:
            wb.subscribe(since=sub.cursor)
        assert stale.value.code == -32602
        again = wb.subscribe(since=error.since)
        assert again.cursor == 2
        # And live changes of the restored database arrive on the new subscription
        wb.answers_save(PROMPT, "live after the restore")
        change = again.next(timeout=10)
        assert (change["type"], change["cursor"], change["revision"]) == ("answer.saved", 3, 2)


def test_the_async_iterator_raises_database_replaced_too(server: Server, tmp_path) -> None:
    backup = str(tmp_path / "backup.sqlite")

    async def scenario() -> tuple[str, int, object, int]:
        async with await AsyncWorkbookClient.connect(server.socket) as wb:
            await wb.answers_save(PROMPT, "in the backup")
            await asyncio.to_thread(run, server, "backup", backup)
            sub = await wb.subscribe()
            await wb.answers_save(PROMPT, "after the backup")
            assert (await sub.next(timeout=10))["cursor"] == 3
            await asyncio.to_thread(run, server, "restore", backup)
            try:
                await sub.next(timeout=10)
            except SubscriptionDropped as error:
                again = await wb.subscribe(since=error.since)
                return error.reason, error.cursor, error.since, again.cursor
            raise AssertionError("no SubscriptionDropped")

    assert asyncio.run(scenario()) == (DATABASE_REPLACED, 0, None, 2)

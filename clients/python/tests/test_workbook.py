"""The typed helpers against the real server and database: exact values after real saves."""

from __future__ import annotations

import asyncio
from typing import Iterator

import pytest

from conftest import Server
from workbook_client import AsyncWorkbookClient, Framing, WorkbookClient, WorkbookError, methods

WORKBOOK = "solidarity"
FIRST_PROMPT = "what-is-solidarity.better-future"


@pytest.fixture
def wb(store_methods: Server) -> Iterator[WorkbookClient]:
    with store_methods.client() as client:
        client.initialize("pytest-client", "1")
        yield client


def test_the_default_workbook_is_listed_with_its_counts(wb: WorkbookClient) -> None:
    [summary] = wb.workbooks_list()
    assert (summary["id"], summary["version"], summary["title"], summary["promptCount"]) == (
        WORKBOOK,
        "1.0.0",
        "Workshopping Solidarity",
        22,
    )


def test_progress_on_a_fresh_database_is_zero_and_creates_no_pass(wb: WorkbookClient) -> None:
    progress = wb.progress_get(WORKBOOK)
    assert {k: progress[k] for k in ("passId", "total", "answered", "drafts", "skipped", "remaining", "percent", "words")} == {
        "passId": None,
        "total": 22,
        "answered": 0,
        "drafts": 0,
        "skipped": 0,
        "remaining": 22,
        "percent": 0,
        "words": 0,
    }
    assert progress["nextPromptId"] == FIRST_PROMPT
    assert sum(section["total"] for section in progress["sections"]) == 22
    assert wb.passes_list(WORKBOOK) == []


def test_progress_counts_exactly_after_saves_drafts_and_skips(wb: WorkbookClient) -> None:
    for prompt in (FIRST_PROMPT, "what-is-solidarity.erased", "solidarity-means"):
        wb.answers_save(prompt, "three words here", status="final")
    wb.answers_save("who-do-i-stand-with", "a draft only")
    wb.answers_skip("performative-allyship", reason="later")
    progress = wb.progress_get(WORKBOOK)
    assert {k: progress[k] for k in ("total", "answered", "drafts", "skipped", "remaining", "percent", "words")} == {
        "total": 22,
        "answered": 3,
        "drafts": 1,
        "skipped": 1,
        "remaining": 18,
        "percent": 13,
        "words": 12,
    }
    assert progress["nextPromptId"] == "what-is-solidarity.seeking-out"
    assert progress["passId"] == wb.passes_list(WORKBOOK)[0]["id"]


def test_revisions_count_up_identical_saves_are_idempotent_and_conflicts_carry_the_current_answer(
    wb: WorkbookClient,
) -> None:
    first = wb.answers_save("solidarity-means", "first", expected_revision=0)
    second = wb.answers_save("solidarity-means", "second", expected_revision=1)
    again = wb.answers_save("solidarity-means", "second")
    assert (first["revision"], second["revision"], again["revision"]) == (1, 2, 2)
    assert second["answer"]["client"] == "pytest-client"
    with pytest.raises(WorkbookError) as raised:
        wb.answers_save("solidarity-means", "stale", expected_revision=1)
    error = raised.value
    assert (error.code, error.kind, error.current_revision) == (1004, "revisionConflict", 2)
    assert error.current["text"] == "second"
    assert [r["text"] for r in wb.answers_history("solidarity-means")] == ["first", "second"]
    assert wb.answers_get("solidarity-means")["text"] == "second"


def test_not_found_errors_carry_code_kind_and_id(wb: WorkbookClient) -> None:
    cases = [
        (lambda: wb.workbooks_get("nope"), 1001, "workbookNotFound", "workbookId"),
        (lambda: wb.answers_save("nope", "x"), 1002, "promptNotFound", "promptId"),
        (lambda: wb.passes_get("00000000-0000-0000-0000-000000000000"), 1003, "passNotFound", "passId"),
    ]
    for call, code, kind, key in cases:
        with pytest.raises(WorkbookError) as raised:
            call()
        assert (raised.value.code, raised.value.kind) == (code, kind)
        assert key in raised.value.data


def test_text_round_trips_byte_for_byte_and_nul_is_rejected(wb: WorkbookClient) -> None:
    text = "naïve 🌍\r\n\ttabs, \"quotes\", \\ and \u2028 line separators"
    assert wb.answers_save("solidarity-means", text)["answer"]["text"] == text
    assert wb.answers_get("solidarity-means")["text"] == text
    with pytest.raises(WorkbookError) as raised:
        wb.answers_save("solidarity-means", "nul\u0000byte")
    assert raised.value.code == -32602


def test_save_many_is_all_or_nothing_and_names_the_failing_item(wb: WorkbookClient) -> None:
    with pytest.raises(WorkbookError) as raised:
        wb.answers_save_many([{"promptId": "solidarity-means", "text": "ok"}, {"promptId": "nope", "text": "x"}])
    assert (raised.value.code, raised.value.data["index"]) == (1002, 1)
    assert wb.answers_get("solidarity-means") is None


def test_export_and_reimport_change_nothing(wb: WorkbookClient) -> None:
    wb.answers_save("solidarity-means", "Showing up, again.", status="final")
    markdown = wb.export("markdown", WORKBOOK)
    assert markdown["format"] == "markdown" and "Showing up, again." in markdown["content"]
    document = wb.export("json")["content"]
    result = wb.import_document(document)
    assert result["imported"] == 0 and result["skipped"] >= 1
    assert wb.answers_history("solidarity-means")[0]["text"] == "Showing up, again."


def test_earlier_answers_come_in_pages_newest_first(wb: WorkbookClient) -> None:
    passes = []
    for n in range(3):
        started = wb.passes_start(WORKBOOK)
        wb.answers_save(FIRST_PROMPT, f"answer {n}", pass_id=started["id"])
        passes.append(started["id"])
    wb.passes_start(WORKBOOK)
    first = wb.prompts_get(FIRST_PROMPT, earlier_limit=2)
    assert [a["text"] for a in first["earlierAnswers"]] == ["answer 2", "answer 1"]
    assert first["earlierMore"] is True
    rest = wb.prompts_get(FIRST_PROMPT, earlier_limit=2, earlier_before=first["earlierAnswers"][-1]["passId"])
    assert [a["passId"] for a in rest["earlierAnswers"]] == [passes[0]]
    assert rest["earlierMore"] is False
    upcoming = wb.prompts_next(WORKBOOK, earlier_limit=0)
    assert upcoming is not None and (upcoming["earlierAnswers"], upcoming["earlierMore"]) == ([], True)
    with pytest.raises(WorkbookError) as raised:
        wb.prompts_get(FIRST_PROMPT, earlier_limit=101)
    assert (raised.value.code, raised.value.data["field"]) == (-32602, "earlierLimit")


def test_search_marks_hits(wb: WorkbookClient) -> None:
    wb.answers_save("who-do-i-stand-with", "My neighbours & friends")
    hits = wb.search("neighbours")["hits"]
    assert [(h["kind"], h["promptId"]) for h in hits] == [("answer", "who-do-i-stand-with")]
    assert hits[0]["snippet"] == "My <mark>neighbours</mark> &amp; friends"


def test_a_subscription_sees_changes_made_by_another_client_between_its_own_requests(store_methods: Server) -> None:
    with store_methods.client() as watcher, store_methods.client(Framing.HEADERS) as writer:
        writer.initialize("writer")
        subscription = watcher.subscribe()
        writer.answers_save("solidarity-means", "one")
        writer.answers_save("solidarity-means", "two", status="final")
        # A request on the watcher's connection while notifications are arriving: they are buffered.
        assert watcher.progress_get(WORKBOOK)["answered"] == 1
        changes = [subscription.next(timeout=10) for _ in range(3)]
        assert [(c["type"], c.get("promptId"), c.get("revision"), c["client"]) for c in changes] == [
            ("pass.started", None, None, "writer"),
            ("answer.saved", "solidarity-means", 1, "writer"),
            ("answer.saved", "solidarity-means", 2, "writer"),
        ]
        assert subscription.cursor == changes[-1]["cursor"]
        assert "text" not in changes[1]
        with pytest.raises(TimeoutError):
            subscription.next(timeout=0.2)
        subscription.close()


def test_subscribing_with_since_catches_up(store_methods: Server) -> None:
    with store_methods.client() as client:
        client.answers_save("solidarity-means", "one")
        head = client.changes_list()["cursor"]
        with client.subscribe(since=0) as subscription:
            assert subscription.cursor == head
            caught_up = [subscription.next(timeout=10)["type"] for _ in range(2)]
        assert caught_up == ["pass.started", "answer.saved"]


def test_the_async_client_subscribes_and_calls_concurrently(store_methods: Server) -> None:
    async def scenario() -> list[tuple[str, int]]:
        async with await AsyncWorkbookClient.connect(store_methods.socket) as watcher:
            async with await AsyncWorkbookClient.connect(store_methods.socket, framing=Framing.HEADERS) as writer:
                subscription = await watcher.subscribe()
                saves = [writer.answers_save(p, "x") for p in ("solidarity-means", "who-do-i-stand-with")]
                await asyncio.gather(*saves, watcher.progress_get(WORKBOOK))
                changes = [await subscription.next(timeout=10) for _ in range(3)]
                await subscription.aclose()
                return [(c["type"], c.get("revision", 0)) for c in changes]

    assert asyncio.run(scenario()) == [("pass.started", 0), ("answer.saved", 1), ("answer.saved", 1)]


def test_typed_requests_and_batches_share_one_connection(wb: WorkbookClient) -> None:
    progress, missing = wb.batch([methods.progress_get(WORKBOOK), methods.answers_get("nope")])
    assert progress["total"] == 22
    assert isinstance(missing, WorkbookError) and missing.kind == "promptNotFound"

"""Typed request builders, one per method of PROTOCOL.md.

Each builder returns a :class:`Request` whose type parameter is the result type, so
``client.request(methods.progress_get("solidarity"))`` is typed ``Progress`` on the blocking client
and ``Awaitable[Progress]`` on the asyncio client. The clients expose every builder as a method of
the same name (``client.progress_get(...)``); the signatures live here only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Iterable, Optional, TypeVar

from .types import (
    Answer,
    ChangesPage,
    ExportResult,
    ImportResult,
    Pass,
    Progress,
    PromptView,
    SaveItem,
    SaveResult,
    SaveStatus,
    SearchResult,
    ServerInfo,
    SubscribeResult,
    WorkbookSummary,
)

T = TypeVar("T")

ERASE_CONFIRMATION = "erase all answers"


@dataclass(frozen=True)
class Request(Generic[T]):
    """A method name and by-name params; `T` is the type of the result."""

    method: str
    params: Optional[dict[str, Any]] = field(default=None)


def _params(**values: Any) -> Optional[dict[str, Any]]:
    """By-name params without the omitted (None) ones; None when nothing is left."""
    kept = {key: value for key, value in values.items() if value is not None}
    return kept or None


# Discovery


def server_info() -> Request[ServerInfo]:
    """`server.info`."""
    return Request("server.info")


def server_ping() -> Request[dict[str, Any]]:
    """`server.ping` → `{}`."""
    return Request("server.ping")


def initialize(client_name: str, client_version: Optional[str] = None) -> Request[ServerInfo]:
    """`initialize`: names this connection's client on the revisions it saves."""
    return Request("initialize", {"clientInfo": _params(name=client_name, version=client_version)})


def rpc_discover() -> Request[dict[str, Any]]:
    """`rpc.discover` → the OpenRPC document."""
    return Request("rpc.discover")


# Content


def workbooks_list() -> Request[list[WorkbookSummary]]:
    """`workbooks.list`."""
    return Request("workbooks.list")


def workbooks_get(workbook_id: str) -> Request[dict[str, Any]]:
    """`workbooks.get`: the workbook with its sections and items in reading order."""
    return Request("workbooks.get", {"workbookId": workbook_id})


def prompts_get(
    prompt_id: str,
    pass_id: Optional[str] = None,
    earlier_limit: Optional[int] = None,
    earlier_before: Optional[str] = None,
) -> Request[PromptView]:
    """`prompts.get`: the prompt with its context, current answer and a page of earlier answers.

    `earlier_limit` (0…100, server default 10) bounds `earlierAnswers`; `earlierMore` says whether
    older ones exist, and `earlier_before` (the `passId` of the last one you have) fetches the next page.
    """
    return Request(
        "prompts.get",
        _params(promptId=prompt_id, passId=pass_id, earlierLimit=earlier_limit, earlierBefore=earlier_before),
    )


def prompts_next(
    workbook_id: Optional[str] = None,
    pass_id: Optional[str] = None,
    after: Optional[str] = None,
    earlier_limit: Optional[int] = None,
) -> Request[Optional[PromptView]]:
    """`prompts.next`: the next open prompt, or None when every prompt is final or skipped."""
    return Request(
        "prompts.next", _params(workbookId=workbook_id, passId=pass_id, after=after, earlierLimit=earlier_limit)
    )


# Answers


def answers_save(
    prompt_id: str,
    text: str,
    status: Optional[SaveStatus] = None,
    expected_revision: Optional[int] = None,
    pass_id: Optional[str] = None,
) -> Request[SaveResult]:
    """`answers.save`; `expected_revision=0` means "I expect no answer yet"."""
    return Request(
        "answers.save",
        _params(promptId=prompt_id, text=text, status=status, expectedRevision=expected_revision, passId=pass_id),
    )


def answers_save_many(items: Iterable[SaveItem]) -> Request[dict[str, list[Answer]]]:
    """`answers.saveMany`: all or nothing; a failure names the item in `data.index`."""
    return Request("answers.saveMany", {"items": list(items)})


def answers_get(prompt_id: str, pass_id: Optional[str] = None) -> Request[Optional[Answer]]:
    """`answers.get`: the current answer, or None."""
    return Request("answers.get", _params(promptId=prompt_id, passId=pass_id))


def answers_list(
    workbook_id: Optional[str] = None, pass_id: Optional[str] = None, status: Optional[str] = None
) -> Request[list[Answer]]:
    """`answers.list`."""
    return Request("answers.list", _params(workbookId=workbook_id, passId=pass_id, status=status))


def answers_history(prompt_id: str, pass_id: Optional[str] = None) -> Request[list[dict[str, Any]]]:
    """`answers.history`: every revision, oldest first."""
    return Request("answers.history", _params(promptId=prompt_id, passId=pass_id))


def answers_skip(
    prompt_id: str,
    reason: Optional[str] = None,
    expected_revision: Optional[int] = None,
    pass_id: Optional[str] = None,
) -> Request[SaveResult]:
    """`answers.skip`."""
    return Request(
        "answers.skip", _params(promptId=prompt_id, reason=reason, expectedRevision=expected_revision, passId=pass_id)
    )


def answers_restore(
    prompt_id: str, revision: int, expected_revision: Optional[int] = None, pass_id: Optional[str] = None
) -> Request[SaveResult]:
    """`answers.restore`: appends a revision copying `revision`."""
    return Request(
        "answers.restore",
        _params(promptId=prompt_id, revision=revision, expectedRevision=expected_revision, passId=pass_id),
    )


def answers_delete(prompt_id: str, pass_id: Optional[str] = None) -> Request[dict[str, int]]:
    """`answers.delete`: removes the answer and its whole history."""
    return Request("answers.delete", _params(promptId=prompt_id, passId=pass_id))


# Passes


def passes_list(workbook_id: Optional[str] = None) -> Request[list[Pass]]:
    """`passes.list`."""
    return Request("passes.list", _params(workbookId=workbook_id))


def passes_start(workbook_id: str, title: Optional[str] = None) -> Request[Pass]:
    """`passes.start`."""
    return Request("passes.start", _params(workbookId=workbook_id, title=title))


def passes_get(pass_id: str) -> Request[Pass]:
    """`passes.get`."""
    return Request("passes.get", {"passId": pass_id})


def passes_close(pass_id: str) -> Request[Pass]:
    """`passes.close` (idempotent)."""
    return Request("passes.close", {"passId": pass_id})


def passes_delete(pass_id: str) -> Request[dict[str, int]]:
    """`passes.delete`: the pass and every answer in it."""
    return Request("passes.delete", {"passId": pass_id})


def data_erase() -> Request[dict[str, int]]:
    """`data.erase`: removes every answer (the confirmation phrase is sent for you)."""
    return Request("data.erase", {"confirm": ERASE_CONFIRMATION})


# Progress, search, export, import, changes


def progress_get(workbook_id: Optional[str] = None, pass_id: Optional[str] = None) -> Request[Progress]:
    """`progress.get` (default workbook when omitted)."""
    return Request("progress.get", _params(workbookId=workbook_id, passId=pass_id))


def progress_list() -> Request[list[Progress]]:
    """`progress.list`: progress for every workbook that has a pass."""
    return Request("progress.list")


def search(
    query: str,
    workbook_id: Optional[str] = None,
    pass_id: Optional[str] = None,
    limit: Optional[int] = None,
    syntax: Optional[str] = None,
) -> Request[SearchResult]:
    """`search` over answers and prompt texts; `syntax` is "words" (default) or "fts5"."""
    return Request(
        "search", _params(query=query, workbookId=workbook_id, passId=pass_id, limit=limit, syntax=syntax)
    )


def export(
    format: str = "json", workbook_id: Optional[str] = None, pass_id: Optional[str] = None
) -> Request[ExportResult]:
    """`export`: Markdown (a string) or lossless JSON (an object) in `content`."""
    return Request("export", _params(format=format, workbookId=workbook_id, passId=pass_id))


def import_document(document: dict[str, Any]) -> Request[ImportResult]:
    """`import`: merges an export's JSON document by revision uuid."""
    return Request("import", {"document": document})


def changes_list(since: Optional[int] = None, limit: Optional[int] = None) -> Request[ChangesPage]:
    """`changes.list`."""
    return Request("changes.list", _params(since=since, limit=limit))


def subscribe_request(since: Optional[int] = None) -> Request[SubscribeResult]:
    """`subscribe` (the clients' `subscribe()` wraps the reply in a subscription iterator)."""
    return Request("subscribe", _params(since=since))


def unsubscribe(subscription_id: Any) -> Request[dict[str, Any]]:
    """`unsubscribe`."""
    return Request("unsubscribe", {"subscriptionId": subscription_id})



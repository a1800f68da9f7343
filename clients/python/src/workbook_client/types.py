"""Result shapes from PROTOCOL.md, as TypedDicts: the values are the decoded JSON, unchanged."""

from __future__ import annotations

from typing import Any, Literal, Optional, TypedDict

Status = Literal["draft", "final", "skipped"]
SaveStatus = Literal["draft", "final"]


class Limits(TypedDict):
    maxMessageBytes: int
    maxBatchItems: int
    maxAnswerBytes: int
    maxDepth: int
    maxConnections: int
    idleTimeoutSeconds: int


class ServerInfo(TypedDict):
    name: str
    version: str
    apiLevel: int
    databaseId: str
    database: str
    framing: Optional[str]
    limits: Limits
    capabilities: list[str]


class WorkbookSummary(TypedDict):
    id: str
    version: str
    title: str
    summary: str
    attribution: Optional[dict[str, Any]]
    sectionCount: int
    promptCount: int


class Answer(TypedDict):
    promptId: str
    passId: str
    text: str
    status: Status
    revision: int
    updatedAt: str
    client: str


class SaveResult(TypedDict):
    answer: Answer
    revision: int


class SaveItem(TypedDict, total=False):
    """One item of `answers.saveMany` (`promptId` and `text` are required by the server)."""

    promptId: str
    text: str
    status: SaveStatus
    expectedRevision: int
    passId: str


class SectionRef(TypedDict):
    id: str
    title: str


class PromptView(TypedDict, total=False):
    workbookId: str
    prompt: dict[str, Any]
    section: SectionRef
    leadPrompt: dict[str, Any]
    contexts: list[dict[str, Any]]
    number: int
    total: int
    passId: Optional[str]
    answer: Optional[Answer]
    earlierAnswers: list[Answer]  # newest first, at most `earlierLimit` (default 10)
    earlierMore: bool  # older earlier answers exist: page on with `earlier_before`


class Pass(TypedDict):
    id: str
    workbookId: str
    title: Optional[str]
    startedAt: str
    closedAt: Optional[str]


class SectionProgress(TypedDict):
    id: str
    title: str
    total: int
    answered: int
    drafts: int
    skipped: int


class Progress(TypedDict):
    workbookId: str
    passId: Optional[str]
    total: int
    answered: int
    drafts: int
    skipped: int
    remaining: int
    percent: int
    words: int
    sections: list[SectionProgress]
    nextPromptId: Optional[str]
    lastActivityAt: Optional[str]


class Change(TypedDict, total=False):
    cursor: int
    type: str
    workbookId: str
    passId: Optional[str]
    promptId: str
    revision: int
    status: Status
    at: str
    client: str


class ChangesPage(TypedDict):
    changes: list[Change]
    cursor: int


class SearchHit(TypedDict, total=False):
    kind: Literal["answer", "prompt"]
    workbookId: str
    promptId: str
    passId: Optional[str]
    revision: int
    status: Status
    snippet: str
    rank: int
    score: float


class SearchResult(TypedDict):
    hits: list[SearchHit]


class ExportResult(TypedDict):
    format: Literal["markdown", "json"]
    content: Any


class ImportResult(TypedDict):
    imported: int
    skipped: int


class SubscribeResult(TypedDict):
    subscriptionId: Any
    cursor: int

#!/usr/bin/env python3
"""Print a weekly summary: progress per workbook, this week's activity, and the latest answers.

    python3 examples/weekly_summary.py                 # the default socket
    python3 examples/weekly_summary.py --socket PATH --days 7 --answers 5

Uses only the standard library and workbook_client (pip install clients/python, or run with
PYTHONPATH=clients/python/src).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
from typing import Optional

from workbook_client import WorkbookClient, WorkbookError, methods
from workbook_client.types import Answer, Progress

BAR = 10


def parse_time(text: str) -> dt.datetime:
    """RFC 3339 UTC with milliseconds, as the server writes it."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def bar(done: int, total: int) -> str:
    filled = BAR * done // total if total else 0
    return "■" * filled + "□" * (BAR - filled)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def saves_since(client: WorkbookClient, cutoff: dt.datetime) -> tuple[int, int]:
    """(saves, distinct prompts) in the change log since `cutoff`, read page by page."""
    saves, prompts, cursor = 0, set(), 0
    while True:
        page = client.changes_list(since=cursor, limit=500)
        for change in page["changes"]:
            if change["type"] in ("answer.saved", "answer.skipped", "answer.restored") and parse_time(change["at"]) >= cutoff:
                saves += 1
                prompts.add(change.get("promptId"))
        if not page["changes"] or page["cursor"] == cursor:
            return saves, len(prompts)
        cursor = page["cursor"]


def print_progress(progress: Progress, title: str) -> None:
    print(f"{title} ({progress['workbookId']})")
    print(
        f"  {progress['answered']}/{progress['total']} final · {plural(progress['drafts'], 'draft')} · "
        f"{progress['skipped']} skipped · {progress['percent']}% · {progress['words']} words"
    )
    for section in progress["sections"]:
        count = f"{section['answered']}/{section['total']}"
        print(f"  {bar(section['answered'], section['total'])} {count:>5}  {section['title']}")


def print_latest(client: WorkbookClient, answers: list[Answer], count: int) -> None:
    latest = sorted(answers, key=lambda a: a["updatedAt"], reverse=True)[:count]
    if not latest:
        print("No answers this week.")
        return
    prompts = client.batch([methods.prompts_get(a["promptId"], pass_id=a["passId"]) for a in latest])
    for answer, prompt in zip(latest, prompts):
        when = parse_time(answer["updatedAt"]).strftime("%Y-%m-%d %H:%M")
        question = prompt["prompt"]["text"] if isinstance(prompt, dict) else answer["promptId"]
        print(f"  {when}  {answer['promptId']} ({answer['status']}, revision {answer['revision']})")
        print(textwrap.fill(question, 78, initial_indent="    ", subsequent_indent="    "))
        text = " ".join(answer["text"].split())
        print(textwrap.fill(textwrap.shorten(text, 300), 78, initial_indent="    > ", subsequent_indent="      "))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", help="the server's socket (default: $WORKBOOK_SOCKET, then the XDG path)")
    parser.add_argument("--days", type=int, default=7, help="how far back 'this week' reaches (default 7)")
    parser.add_argument("--answers", type=int, default=5, help="how many latest answers to show (default 5)")
    options = parser.parse_args(argv)
    now = dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(days=options.days)
    try:
        with WorkbookClient.connect(options.socket) as client:
            client.initialize("weekly-summary", "1")
            titles = {w["id"]: w["title"] for w in client.workbooks_list()}
            print(f"Week of {cutoff:%Y-%m-%d} to {now:%Y-%m-%d}")
            print()
            every = client.progress_list()
            if not every:
                print("Nothing started yet: try `workbook next`.")
            for progress in every:
                print_progress(progress, titles.get(progress["workbookId"], progress["workbookId"]))
                print()
            saves, prompts = saves_since(client, cutoff)
            print(f"This week: {plural(saves, 'save')} on {plural(prompts, 'prompt')}")
            print()
            recent = [a for a in client.answers_list() if parse_time(a["updatedAt"]) >= cutoff and a["status"] != "skipped"]
            print("Latest answers")
            print_latest(client, recent, options.answers)
    except (OSError, WorkbookError) as error:
        print(f"weekly_summary: {error}", file=sys.stderr)
        return 69 if isinstance(error, OSError) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

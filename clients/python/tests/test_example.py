"""examples/weekly_summary.py against the real server, after real saves."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

from conftest import Server

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "weekly_summary.py"
SRC = pathlib.Path(__file__).resolve().parents[1] / "src"


def run_example(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC), WORKBOOK_SOCKET=server.socket)
    return subprocess.run([sys.executable, str(EXAMPLE), *args], env=env, capture_output=True, text=True, timeout=60)


def test_weekly_summary_prints_progress_activity_and_latest_answers(store_methods: Server) -> None:
    with store_methods.client() as client:
        client.answers_save("solidarity-means", "Showing up, again and again.", status="final")
        client.answers_save("solidarity-means", "Showing up, again and again, for years.", status="final")
        client.answers_save("who-do-i-stand-with", "My neighbours.")
        client.answers_skip("performative-allyship")
    result = run_example(store_methods, "--answers", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Week of \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d", lines[0])
    assert lines[2] == "Workshopping Solidarity (solidarity)"
    assert lines[3] == "  1/22 final · 1 draft · 1 skipped · 4% · 9 words"
    assert lines[4:8] == [
        "  □□□□□□□□□□   0/4  What is Solidarity?",
        "  □□□□□□□□□□   0/6  Who do I want to stand in solidarity with?",
        "  ■□□□□□□□□□   1/7  What does solidarity mean to me?",
        "  □□□□□□□□□□   0/5  What delineates solidarity from performative allyship/co-opting in my life?",
    ]
    assert "This week: 4 saves on 3 prompts" in lines
    latest = lines[lines.index("Latest answers") + 1 :]
    assert re.fullmatch(r"  \d{4}-\d\d-\d\d \d\d:\d\d  who-do-i-stand-with \(draft, revision 1\)", latest[0])
    assert latest[1] == "    Who do I want to stand in solidarity with?"
    assert latest[2] == "    > My neighbours."
    assert re.fullmatch(r"  .*  solidarity-means \(final, revision 2\)", latest[3])
    assert latest[5] == "    > Showing up, again and again, for years."
    assert len(latest) == 6


def test_weekly_summary_on_an_empty_database(store_methods: Server) -> None:
    result = run_example(store_methods)
    assert result.returncode == 0, result.stderr
    assert "Nothing started yet: try `workbook next`." in result.stdout
    assert result.stdout.rstrip().endswith("Latest answers\nNo answers this week.")


def test_weekly_summary_without_a_server_exits_69(tmp_path: pathlib.Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--socket", str(tmp_path / "none.sock")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 69
    assert result.stderr.startswith("weekly_summary: ")

"""Fixtures: the real `workbook` binary serving a fresh temporary database on a Unix socket."""

from __future__ import annotations

import os
import pathlib
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

import pytest

from workbook_client import Framing, WorkbookClient, WorkbookError

REPO = pathlib.Path(__file__).resolve().parents[3]
IN_CI = os.environ.get("CI") == "true"
READY_DEADLINE = 30.0


def missing(reason: str) -> None:
    """Skips locally; fails in CI, where every tool must be present."""
    if IN_CI:
        pytest.fail(reason + " (CI=true: required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def workbook_bin() -> str:
    """`$WORKBOOK_BIN`, else `<repo>/.build/debug/workbook`."""
    path = os.environ.get("WORKBOOK_BIN") or str(REPO / ".build" / "debug" / "workbook")
    if not os.access(path, os.X_OK):
        missing(f"workbook binary not found at {path} (build it or set WORKBOOK_BIN)")
    return path


@dataclass
class Server:
    """A running `workbook serve --socket`; `log` collects its stderr lines."""

    socket: str
    database: str
    process: "subprocess.Popen[str]"
    binary: str
    log: list[str] = field(default_factory=list)

    def client(self, framing: Framing = Framing.NDJSON) -> WorkbookClient:
        return WorkbookClient.connect(self.socket, framing=framing)


def start_server(binary: str, directory: pathlib.Path, *extra: str) -> Server:
    """Starts the server and waits (bounded) for its "listening on" line on stderr."""
    socket_path = str(directory / "workbook.sock")
    database = str(directory / "workbook.sqlite")
    process = subprocess.Popen(
        [binary, "serve", "--socket", socket_path, "--database", database, *extra],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(socket_path, database, process, binary)
    lines: "queue.Queue[str | None]" = queue.Queue()

    def drain() -> None:  # keeps reading so the server never blocks on a full stderr pipe
        assert process.stderr is not None
        for line in process.stderr:
            server.log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + READY_DEADLINE
    while True:
        remaining = deadline - time.monotonic()
        try:
            line = lines.get(timeout=max(remaining, 0.001))
        except queue.Empty:
            stop_server(server)
            raise TimeoutError(f"no 'listening on' line within {READY_DEADLINE} s: {''.join(server.log)}")
        if line is None:
            raise RuntimeError(f"the server exited early ({process.wait()}): {''.join(server.log)}")
        if "listening on" in line:
            return server


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def server(workbook_bin: str, tmp_path: pathlib.Path) -> Iterator[Server]:
    """A server of its own on a fresh database, stopped after the test."""
    running = start_server(workbook_bin, tmp_path)
    yield running
    stop_server(running)
    assert running.process.returncode == 0, "".join(running.log)


@pytest.fixture
def store_methods(server: Server) -> Server:
    """The server, once the workbook methods are wired (skips locally before that, fails in CI)."""
    with server.client() as client:
        try:
            client.workbooks_list()
        except WorkbookError as error:
            if error.code != -32601:
                raise
            missing("the server does not serve workbooks.list yet")
    return server

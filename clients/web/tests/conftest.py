"""Fixtures for the browser tests: the real `workbook` binary with `--http`, and headless Chromium.

Without chromium, chromedriver or selenium the tests skip with a reason, except in CI
(CI=true), where a missing tool is a failure.
"""
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"


def missing(reason):
    """Skips locally, fails in CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def binary():
    path = os.environ.get("WORKBOOK_BIN") or str(REPO / ".build" / "debug" / "workbook")
    if not os.access(path, os.X_OK):
        missing(f"no workbook binary at {path} (build it, or set WORKBOOK_BIN)")
    return path


class Server:
    """`workbook serve --http 127.0.0.1:0 --socket ...`, ready when it prints its URL."""

    def __init__(self, directory):
        self.dir = Path(directory)
        self.socket_path = str(self.dir / "wb.sock")
        env = dict(os.environ, XDG_RUNTIME_DIR=str(self.dir / "run"))
        # WORKBOOK_WEB_ROOT=clients/web tests the page on disk without rebuilding the binary.
        web_root = ["--web-root", os.environ["WORKBOOK_WEB_ROOT"]] if os.environ.get("WORKBOOK_WEB_ROOT") else []
        self.process = subprocess.Popen(
            [binary(), "serve", "--http", "127.0.0.1:0", "--socket", self.socket_path,
             "--database", str(self.dir / "db.sqlite")] + web_root,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
        lines = queue.Queue()
        self.stderr = []

        def pump():
            for line in self.process.stderr:
                self.stderr.append(line)
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        while True:  # event-driven: each line as it arrives; None when the process ends
            line = lines.get(timeout=60)
            if line is None:
                raise RuntimeError("server exited: " + "".join(self.stderr))
            match = re.search(r"(http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+))", line)
            if match:
                self.url, self.port, self.token = match.group(1), int(match.group(2)), match.group(3)
                break
        self.base = f"http://127.0.0.1:{self.port}"

    def call(self, method, params=None):
        """One request over the Unix socket (NDJSON); returns the result or raises on an error."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.socket_path)
            message = {"jsonrpc": "2.0", "id": 1, "method": method}
            if params is not None:
                message["params"] = params
            s.sendall(json.dumps(message).encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        reply = json.loads(data)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def server():
    directory = tempfile.mkdtemp(prefix="wbweb.")
    srv = Server(directory)
    yield srv
    srv.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def browser_factory():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed (clients/web/tests/run.sh installs it)")
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            missing(f"{path} is missing (apt-get install chromium chromium-driver)")
    drivers = []

    def make(width=1280, height=900, downloads=None):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        if downloads:
            options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                      "download.prompt_for_download": False})
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--window-size={width},{height}"):
            options.add_argument(arg)
        # Each driver is its own browser profile: a separate cookie jar, like a second device.
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        driver.set_script_timeout(20)
        if width < 500:
            # Headless Chromium keeps windows at least 500 px wide: override the viewport so the
            # page really lays out at `width` CSS pixels. Not "mobile": a mobile viewport widens
            # to fit content that overflows, which would hide the overflow the tests look for.
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

"""`qualsite serve` survives a broken save and recovers on the next good one."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers import write_study


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


class Server:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qualsite", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def log(self) -> str:
        return "".join(self.output)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    (tmp_path / "site_templates").mkdir()
    running = Server(write_study(tmp_path))
    try:
        wait_for(
            lambda: fetch(running.url) is not None or running.process.poll() is not None,
            "the server",
        )
        assert running.process.poll() is None, running.log
        yield running
    finally:
        running.process.terminate()
        running.process.wait(timeout=30)


def test_a_broken_save_keeps_the_server_running_and_the_next_save_recovers(
    server: Server, tmp_path: Path
) -> None:
    page = server.url + "categories/peer-support/"
    assert "My colleagues get me through the week." in (fetch(page) or "")

    excerpts = tmp_path / "codebook/excerpts/p1.yml"
    good = excerpts.read_text()
    excerpts.write_text(good.replace("categories: [peer-support]", "categories: [peer-suport]"))
    wait_for(
        lambda: "codebook/excerpts/p1.yml:4: unknown category 'peer-suport'" in server.log,
        "the error",
    )
    assert "Traceback" not in server.log
    time.sleep(1)
    # MkDocs holds requests while the site is broken, but the server lives on.
    assert server.process.poll() is None

    excerpts.write_text(
        good.replace("My colleagues get me through the week.", "Recovered after a fix.")
    )
    wait_for(lambda: "Recovered after a fix." in (fetch(page) or ""), "the rebuilt page")
    assert server.process.poll() is None


def test_template_changes_are_watched(server: Server, tmp_path: Path) -> None:
    override = tmp_path / "site_templates" / "categories.md.j2"
    override.write_text("---\ntitle: Codebook\n---\n# Our own overview\n")
    wait_for(
        lambda: "Our own overview" in (fetch(server.url + "categories/") or ""), "the new template"
    )

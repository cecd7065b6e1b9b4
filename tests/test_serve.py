"""`qualsite serve` survives a broken save, shows it in the browser at once,
and recovers on the next good one."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from helpers import write_study
from qualsite.render.build_error import build_error_page
from qualsite.serve import UNEXPECTED, failure_lines

GOOD_WORDS = "My colleagues get me through the week."
#: p1.yml with its first excerpt's list of categories left open.
UNCLOSED = "categories: [peer-support\n"
#: How qualsite names the place of that mistake (its wording is the loader's).
SYNTAX_ERROR = re.compile(r"codebook/excerpts/p1\.yml:\d+(:\d+)?: \S")


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


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def answer(url: str) -> Answer:
    """The server's answer to one request, error statuses included. A request
    left unanswered raises: 30 s is room for a busy machine, not a speed limit."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return Answer(response.status, response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.read().decode("utf-8"))


def fetch(url: str) -> str | None:
    """A page's text, or None while the server does not answer with one."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def listening(url: str) -> bool:
    try:
        answer(url)
    except OSError:
        return False
    return True


class Server:
    def __init__(self, root: Path, *options: str, env: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qualsite", "serve", "-a", f"127.0.0.1:{self.port}", *options],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def log(self) -> str:
        return "".join(self.output)


@contextmanager
def running(root: Path, *options: str, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """`qualsite serve` in ``root`` (with ``env`` added to its environment),
    once it answers requests."""
    started = Server(root, *options, env=env)
    try:
        wait_for(lambda: listening(started.url) or started.process.poll() is not None, "the server")
        assert started.process.poll() is None, started.log
        yield started
    finally:
        started.process.terminate()
        started.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    (tmp_path / "site_templates").mkdir()
    with running(write_study(tmp_path)) as started:
        yield started


def problems_shown(page: Answer) -> str:
    """The problems an error page shows, as text."""
    assert page.status == 503, page.body
    found = re.search(r'<pre id="problems">(.*?)</pre>', page.body, re.DOTALL)
    assert found, page.body
    return unescape(found[1])


def reload_epoch(page: Answer) -> tuple[int, int]:
    """The build number and request id in the page's live-reload script."""
    found = re.search(r"livereload\((\d+), (\d+)\);", page.body)
    assert found, page.body
    return int(found[1]), int(found[2])


# -- the error page and what it shows, without a server ------------------------


def test_the_error_page_escapes_the_messages_and_carries_the_reload_script() -> None:
    page = build_error_page(
        ["codebook/x.yml:3: unknown category '<script>alert(1)</script>' & more", "1 problem"],
        reload_script="livereload(1, 2);",
    )
    assert "<script>alert(1)" not in page
    assert "'&lt;script&gt;alert(1)&lt;/script&gt;' &amp; more\n1 problem</pre>" in page
    assert "<script>livereload(1, 2);</script>" in page


def test_a_failed_build_shows_its_errors_and_not_mkdocs_abort() -> None:
    lines = failure_lines(
        ["codebook/x.yml:4: unknown category 'a'\n1 problem found; nothing was built."],
        ["a warning logged beside it"],
        Abort("Aborted with a BuildError!"),
    )
    assert lines == ("codebook/x.yml:4: unknown category 'a'\n1 problem found; nothing was built.",)


def test_a_build_stopped_by_strict_mode_shows_its_warnings_and_why() -> None:
    stopped = Abort("Aborted with 1 warnings in strict mode!")
    lines = failure_lines([], ["codebook/x.yml:2: warning: a warning"], stopped)
    assert lines == (
        "codebook/x.yml:2: warning: a warning",
        "the build stopped at 1 warning (above), as strict mode (mkdocs.yml or --strict) asks",
    )


def test_an_unexpected_exception_is_not_shown_but_referred_to_the_terminal() -> None:
    lines = failure_lines(["Error reading page 'index.md':"], [], KeyError("a secret"))
    assert lines == ("Error reading page 'index.md':", UNEXPECTED)
    assert not any("secret" in line for line in lines)


# -- the running server ----------------------------------------------------------


def test_a_broken_save_is_shown_in_the_browser_at_once_and_the_fix_brings_the_page_back(
    server: Server, tmp_path: Path
) -> None:
    page = server.url + "categories/peer-support/"
    assert GOOD_WORDS in (fetch(page) or "")

    excerpts = tmp_path / "codebook/excerpts/p1.yml"
    good = excerpts.read_text()
    excerpts.write_text(good.replace("categories: [peer-support]\n", UNCLOSED, 1))
    wait_for(lambda: "codebook/excerpts/p1.yml:" in server.log, "the error in the terminal")

    shown = answer(page)
    problems = problems_shown(shown)
    assert SYNTAX_ERROR.match(problems), problems
    assert problems in server.log  # the same words as the terminal's, verbatim
    assert GOOD_WORDS not in shown.body
    assert "/livereload/" in shown.body
    # Every request is answered with it, a file of the site or not.
    for other in ("", "categories/", "assets/qualsite.css", "no/such/page/"):
        assert problems_shown(answer(server.url + other)) == problems

    epoch, request_id = reload_epoch(shown)
    excerpts.write_text(good.replace(GOOD_WORDS, "Recovered after a fix."))
    wait_for(lambda: "Recovered after a fix." in (fetch(page) or ""), "the rebuilt page")
    # The error page's own poll now hears of a newer build: it reloads itself.
    newer = answer(f"{server.url}livereload/{epoch}/{request_id}")
    assert newer.status == 200 and int(newer.body) > epoch
    assert server.process.poll() is None
    assert "Traceback" not in server.log
    assert not (tmp_path / "site").exists()  # a preview writes no site


def test_the_error_page_escapes_what_the_message_quotes(server: Server, tmp_path: Path) -> None:
    excerpts = tmp_path / "codebook/excerpts/p1.yml"
    hostile = "<script>alert(1)</script>"
    excerpts.write_text(
        excerpts.read_text().replace("categories: [peer-support]", f'categories: ["{hostile}"]')
    )
    wait_for(lambda: "codebook/excerpts/p1.yml:4:" in server.log, "the error in the terminal")

    shown = answer(server.url + "categories/peer-support/")
    problems = problems_shown(shown)
    assert problems.startswith(f"codebook/excerpts/p1.yml:4: categories: '{hostile}' ")
    assert problems in server.log
    assert hostile not in shown.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.body


def test_while_broken_nothing_of_the_last_good_build_is_served(
    server: Server, tmp_path: Path
) -> None:
    """The save that withdraws a participant is also broken: the pages and
    downloads built before it, which hold their words, are not served."""
    holding_the_words = ["categories/peer-support/", "search/search_index.json", "print/"]
    assert all(GOOD_WORDS in (fetch(server.url + path) or "") for path in holding_the_words)

    participants = tmp_path / "codebook/participants.yml"
    participants.write_text(
        participants.read_text().replace(
            "label: Participant 1", "label: Participant 1\n    withdrawn: true\n  - id: not valid"
        )
    )
    wait_for(lambda: "codebook/participants.yml:" in server.log, "the error in the terminal")
    for path in [*holding_the_words, ""]:
        shown = answer(server.url + path)
        assert shown.status == 503 and GOOD_WORDS not in shown.body, path


def test_a_study_broken_when_the_server_starts_is_shown_and_then_served(tmp_path: Path) -> None:
    root = write_study(tmp_path)
    excerpts = tmp_path / "codebook/excerpts/p1.yml"
    good = excerpts.read_text()
    excerpts.write_text(good.replace("categories: [peer-support]\n", UNCLOSED, 1))

    with running(root) as server:
        page = server.url + "categories/peer-support/"
        problems = problems_shown(answer(page))
        assert SYNTAX_ERROR.match(problems), problems
        assert problems in server.log

        excerpts.write_text(good)
        wait_for(lambda: GOOD_WORDS in (fetch(page) or ""), "the page after the fix")
        assert "Traceback" not in server.log


def test_a_build_stopped_by_a_warning_in_strict_mode_shows_the_warning(tmp_path: Path) -> None:
    with running(write_study(tmp_path), "--strict") as server:
        page = server.url + "categories/peer-support/"
        assert GOOD_WORDS in (fetch(page) or "")
        index = tmp_path / "content/index.md"
        index.write_text(index.read_text() + "\nSee [the notes](notes.md).\n")
        wait_for(lambda: "strict mode" in server.log, "the build to stop")

        problems = problems_shown(answer(page)).splitlines()
        assert "notes.md" in problems[0]
        assert "strict mode" in problems[-1]
        assert all(line in server.log for line in problems)  # as the terminal says


def test_template_changes_are_watched(server: Server, tmp_path: Path) -> None:
    override = tmp_path / "site_templates" / "categories.md.j2"
    override.write_text("---\ntitle: Codebook\n---\n# Our own overview\n")
    wait_for(
        lambda: "Our own overview" in (fetch(server.url + "categories/") or ""), "the new template"
    )

"""Real components for the browser suite: Debian's Chromium driven by
Playwright, and the built sites served by a local HTTP server on 127.0.0.1.

Outside CI a missing browser skips the suite with one line saying how to
install it; with CI=true it fails the run, so CI can never pass by skipping.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import REPO, build_site, run_qualsite

INSTALL_HINT = (
    "Chromium not found: install it (Debian/Ubuntu: apt-get install chromium) "
    "or set QUALSITE_CHROMIUM to its path"
)


def find_chromium() -> str | None:
    """QUALSITE_CHROMIUM, then Debian's /usr/bin/chromium, then Playwright's own."""
    configured = os.environ.get("QUALSITE_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    found = shutil.which("chromium")
    if found:
        return found
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        bundled = playwright.chromium.executable_path
    return bundled if bundled and Path(bundled).is_file() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{INSTALL_HINT} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    arguments = [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        arguments.append("--no-sandbox")  # Chromium refuses to sandbox as root
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=arguments
        )
        yield launched
        launched.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    """A built site served on 127.0.0.1."""

    site: Path
    base: str
    requests: list[str] = field(default_factory=list)


class _QuietServer(ThreadingHTTPServer):
    """A browser that leaves a page while a file is still being sent closes
    the connection: that is not a failure, and its traceback is noise."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _serve(site: Path) -> Iterator[Served]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(site, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def example(example_site: Path) -> Iterator[Served]:
    yield from _serve(example_site)


@pytest.fixture(scope="session")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    from test_confidentiality import canary_study

    root = canary_study(tmp_path_factory.mktemp("canary"), leaks=False)
    yield from _serve(build_site(root))


@pytest.fixture
def context(browser: object, example: Served) -> Iterator[object]:
    """A fresh browser context (light palette, desktop size) that records
    every request its pages make."""
    made = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    made.on("request", lambda request: example.requests.append(request.url))
    yield made
    made.close()


@pytest.fixture
def page(context: object) -> object:
    return context.new_page()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's offline bundle, unzipped: the folder a reader opens."""
    folder = tmp_path_factory.mktemp("bundle")
    result = run_qualsite("bundle", "--out", str(folder / "study.zip"), cwd=REPO)
    assert result.returncode == 0, result.stderr
    zipfile.ZipFile(folder / "study.zip").extractall(folder)
    (top,) = [p for p in folder.iterdir() if p.is_dir()]
    return top

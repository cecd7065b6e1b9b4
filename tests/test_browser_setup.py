"""Without a browser, the browser suite skips with one line saying how to
install one, except in CI, where it fails: CI must never pass by skipping."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import REPO

ONE_TEST = "tests/browser/test_reading.py::test_clicking_a_box_of_the_figure_opens_its_category"


def run_without_browser(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["QUALSITE_CHROMIUM"] = "/nonexistent/chromium"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", ONE_TEST],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_missing_browser_skips_with_the_install_hint() -> None:
    result = run_without_browser(ci=None)
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert (
        "Chromium not found: install it (Debian/Ubuntu: apt-get install chromium)" in result.stdout
    )


def test_a_missing_browser_fails_in_ci() -> None:
    result = run_without_browser(ci="true")
    assert result.returncode == 1, result.stdout
    assert "CI=true: browser tests must run" in result.stdout

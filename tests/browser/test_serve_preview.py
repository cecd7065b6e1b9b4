"""`qualsite serve` in a browser: an open page turns into the error page when
a save breaks the study, and back into the page when a save fixes it, with
no one reloading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import write_study
from test_serve import GOOD_WORDS, UNCLOSED, running

#: Long enough for a rebuild on a busy CI machine; a wait, not a speed limit.
REBUILD_MS = 60_000


def test_an_open_page_shows_a_broken_save_and_reloads_itself_after_the_fix(
    browser: Any, tmp_path: Path
) -> None:
    excerpts = write_study(tmp_path) / "codebook/excerpts/p1.yml"
    good = excerpts.read_text()
    with running(tmp_path) as server:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(server.url + "categories/peer-support/")
            page.get_by_text(GOOD_WORDS).first.wait_for()

            excerpts.write_text(good.replace("categories: [peer-support]\n", UNCLOSED, 1))
            heading = page.get_by_role("heading", name="The preview cannot be built")
            heading.wait_for(timeout=REBUILD_MS)
            problems = page.locator("#problems").inner_text()
            assert problems.startswith("codebook/excerpts/p1.yml:"), problems
            assert problems in server.log

            excerpts.write_text(good.replace(GOOD_WORDS, "Recovered after a fix."))
            page.get_by_text("Recovered after a fix.").first.wait_for(timeout=REBUILD_MS)
            assert page.url == server.url + "categories/peer-support/"
        finally:
            context.close()

"""What a build keeps of the pages it generated: each page's Markdown goes
to its source file as soon as it is made, and once MkDocs has made its HTML
the page lets go of its Markdown (a big study's peak memory), but not of the
title the navigation shows; the user's own pages stay as MkDocs keeps them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import MKDOCS_YML, build_site, main_text, write_study
from qualsite.render import GeneratedPage, SiteRenderer
from qualsite.site import SiteSettings, prepare_site

#: A hook that writes down, once the site is written, what each page holds.
SPY = """\
import json
from pathlib import Path


def on_post_build(config):
    pages = {}
    for file in FILES:
        page = file.page
        pages[file.src_uri] = {"markdown": page.markdown is not None, "title": page.title}
    Path(config["config_file_path"]).with_name("pages.json").write_text(json.dumps(pages))


FILES = []


def on_files(files, config):
    FILES[:] = []
    return files


def on_page_content(html, page, config, files):
    FILES.append(page.file)
    return html
"""


def _built(root: Path) -> tuple[Path, dict[str, dict[str, object]]]:
    write_study(root, {"mkdocs.yml": MKDOCS_YML + "hooks:\n  - spy.py\n", "spy.py": SPY})
    site = build_site(root)
    return site, json.loads((root / "pages.json").read_text(encoding="utf-8"))


def test_a_generated_page_lets_go_of_its_markdown_and_keeps_its_title(tmp_path: Path) -> None:
    _, pages = _built(tmp_path)
    assert pages["categories/peer-support.md"] == {"markdown": False, "title": "Peer support"}
    assert pages["categories/coping.md"] == {"markdown": False, "title": "Coping"}
    # The user's own page, and the Print page, as MkDocs keeps them.
    assert pages["index.md"] == {"markdown": True, "title": "Home"}
    assert pages["print.md"]["markdown"] is True


def test_the_navigation_names_every_generated_page(tmp_path: Path) -> None:
    site, _ = _built(tmp_path)
    # The last page drawn shows the others' titles, worked out long after
    # their Markdown was let go of.
    html = (site / "categories/supervision/index.html").read_text(encoding="utf-8")
    navigation = html[html.index('class="md-nav md-nav--primary"') : html.index("md-content")]
    titles = [
        re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<span[^>]*>([^<]+)<", navigation)
    ]
    assert "Peer support" in titles and "Supervision" in titles and "Coping" in titles
    assert "None" not in titles
    assert "Supervision and the team both help." in main_text(
        site / "categories/peer-support/index.html"
    )


def test_each_generated_page_is_handed_over_as_soon_as_it_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_study(tmp_path / "study")
    settings = SiteSettings(root / "codebook", root / "site_templates", root / "content")
    whole = prepare_site(settings).pages
    drawn_last = SiteRenderer.cite_page
    seen: list[tuple[str, bool]] = []

    def draw_last(renderer: SiteRenderer) -> GeneratedPage:
        seen.append(("cite", True))
        return drawn_last(renderer)

    def keep(page: GeneratedPage) -> GeneratedPage:
        seen.append((page.src_path, False))
        source = tmp_path / "sources" / page.src_path
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(page.markdown, encoding="utf-8")
        return replace(page, markdown="", source=source)

    monkeypatch.setattr(SiteRenderer, "cite_page", draw_last)
    kept = prepare_site(settings, keep_page=keep).pages
    # The first page went to its file before the last pages were drawn.
    assert seen[0] == (whole[0].src_path, False) and ("cite", True) in seen[1:]
    assert [page.src_path for page in kept] == [page.src_path for page in whole]
    for page, held in zip(kept, whole, strict=True):
        assert page.markdown == "" and page.source is not None
        assert page.source.read_text(encoding="utf-8") == held.markdown

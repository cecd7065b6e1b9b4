"""qualsite bundle: one zip that opens from file:// on a machine with no network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from helpers import REPO, run_qualsite

EPOCH = {"SOURCE_DATE_EPOCH": "1764288000"}
NAME = "building-resilience-in-the-psychological-1.0"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "study.zip"
    result = run_qualsite("bundle", "--out", str(out), cwd=REPO, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert f"unzip it and open {NAME}/index.html" in result.stdout
    return out


def test_one_top_folder_with_index_and_readme(bundle: Path) -> None:
    names = zipfile.ZipFile(bundle).namelist()
    assert {n.split("/", 1)[0] for n in names} == {NAME}
    assert f"{NAME}/index.html" in names and f"{NAME}/README.txt" in names
    readme = zipfile.ZipFile(bundle).read(f"{NAME}/README.txt").decode("utf-8")
    assert "open index.html in a web browser" in readme
    assert "Version 1.0, built on 28 November 2025 with qualsite." in readme
    assert "not participants' words" in readme


def test_links_name_files_and_search_needs_no_server(bundle: Path) -> None:
    archive = zipfile.ZipFile(bundle)
    names = set(archive.namelist())
    assert f"{NAME}/search/search_index.js" in names
    assert f"{NAME}/assets/qualsite/iframe-worker/shim.js" in names
    page = archive.read(f"{NAME}/categories/peer-support.html").decode("utf-8")
    hrefs = re.findall(r'href="([^"#?]+)', page)
    local = [h for h in hrefs if "://" not in h]
    assert local and not [h for h in local if h.endswith("/")]  # no folder URLs
    assert '"../assets/qualsite/iframe-worker/shim.js"' in page


def test_no_page_loads_anything_from_a_cdn(bundle: Path) -> None:
    """Pages and qualsite's own assets name no outside script, font or style.

    (Material's bundle.js still holds two conditional CDN loads: a
    ResizeObserver polyfill for browsers without one, which no current
    browser lacks, and Mermaid for pages with diagrams, which no page has.
    The browser test opens the bundle with every outside request blocked.)
    """
    archive = zipfile.ZipFile(bundle)
    for name in archive.namelist():
        if name.endswith(".html") or "/assets/qualsite/" in name:
            text = archive.read(name).decode("utf-8", "replace")
            assert "unpkg.com" not in text and "fonts.googleapis" not in text, name
            assert not re.search(
                r'<(script|link|img)[^>]+(src|href)="https?://[^"]+\.(js|css|woff2?)', text
            ), name


def test_the_zip_is_reproducible(bundle: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    result = run_qualsite("bundle", "--out", str(again), cwd=REPO, env=EPOCH)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == bundle.read_bytes()

"""qualsite bundle: one zip that opens from file:// on a machine with no network."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from helpers import MKDOCS_YML, REPO, run_qualsite, write_study
from qualsite.bundle import bundle_name
from qualsite.study import load_study

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
    # The version and date of the footer and CITATION.cff, and how to cite it.
    assert "Version 1.0, published 2025-11-28. Made with qualsite." in readme
    assert "HOW TO CITE THIS SITE\nThe qualsite developers (2025)." in readme
    assert "not participants' words" in readme


def test_links_name_files_and_search_needs_no_server(bundle: Path) -> None:
    archive = zipfile.ZipFile(bundle)
    names = set(archive.namelist())
    assert f"{NAME}/search/search_index.js" in names
    assert f"{NAME}/assets/qualsite/iframe-worker/shim.js" in names
    notice = archive.read(f"{NAME}/assets/qualsite/iframe-worker/LICENSE.txt").decode()
    assert "Permission is hereby granted" in notice  # MIT: the notice goes with the copy
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


def test_the_bundle_never_uses_web_fonts(tmp_path: Path) -> None:
    # Material loads Google Fonts unless told not to; the bundle tells it.
    write_study(tmp_path, {"mkdocs.yml": MKDOCS_YML.replace("  font: false\n", "")})
    result = run_qualsite("bundle", "--out", "study.zip", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    archive = zipfile.ZipFile(tmp_path / "study.zip")
    index = next(n for n in archive.namelist() if n.endswith("/index.html"))
    assert "fonts.googleapis.com" not in archive.read(index).decode("utf-8")


def test_a_script_from_the_web_stops_the_bundle(tmp_path: Path) -> None:
    config = MKDOCS_YML + (
        "extra_javascript:\n  - https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js\n"
        "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "          - name: mermaid\n            class: mermaid\n"
        "            format: !!python/name:pymdownx.superfences.fence_code_format\n"
    )
    write_study(tmp_path, {"mkdocs.yml": config})
    result = run_qualsite("bundle", "--out", "study.zip", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "mkdocs.yml: extra_javascript loads https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js "
        "from the web, which an offline copy cannot reach" in result.stderr
    )
    assert "Mermaid diagrams with a script from unpkg.com" in result.stderr
    assert not (tmp_path / "study.zip").exists()
    assert "Traceback" not in result.stderr


def test_the_folder_is_named_in_the_titles_own_script(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {"codebook/study.yml": "title: 研究 des Études\nversion: 2.0/beta\nauthors: [{name: A}]\n"},
    )
    assert bundle_name(load_study(tmp_path / "codebook")) == "研究-des-études-2.0-beta"
    study = "codebook/study.yml"
    (tmp_path / study).write_text("title: हिन्दी में अध्ययन\nauthors: [{name: A}]\n", "utf-8")
    assert bundle_name(load_study(tmp_path / "codebook")) == "हिन्दी-में-अध्ययन"


LONG_TITLE = " ".join(["Étude", "心理健康の研究", "हिन्दी में अध्ययन", "résilience"] * 12)


@pytest.mark.parametrize(
    "version",
    ["-".join(f"rc{n}" for n in range(100))[:300], "2." + "9" * 298],
    ids=["words", "one-word"],
)
def test_a_long_title_and_version_make_a_name_the_file_system_takes(
    tmp_path: Path, version: str
) -> None:
    """Names are limited to 255 bytes of UTF-8; the zip, the PDF and the zip's
    folder are named after the title and version, which may be far longer."""
    assert len(version) == 300
    write_study(
        tmp_path,
        {
            "codebook/study.yml": (
                f"title: {LONG_TITLE}\nversion: '{version}'\nauthors: [{{name: A}}]\n"
            )
        },
    )
    name = bundle_name(load_study(tmp_path / "codebook"))
    assert name == bundle_name(load_study(tmp_path / "codebook"))  # the same every time
    for suffix in (".zip", ".pdf", ".zip.partial"):
        assert len((name + suffix).encode("utf-8")) <= 140, name
    # Cut between words, with part of the title and of the version each.
    start = name.index("-" + version[:4])
    slug, kept = name[:start], name[start + 1 :]
    whole_slug = "-".join(LONG_TITLE.lower().split())
    assert slug.startswith("étude-心理健康の研究-हिन्दी-में") and whole_slug[len(slug)] == "-"
    assert version.startswith(kept) and len(kept) >= 20
    if "-" in version:
        assert version[len(kept)] == "-"
    result = run_qualsite("bundle", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (written,) = (tmp_path / "dist").iterdir()
    assert written.name == f"{name}.zip"
    archive = zipfile.ZipFile(written)
    assert f"{name}/index.html" in archive.namelist()

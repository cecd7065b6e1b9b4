"""The bundle from file:// with every outside request blocked, the print
stylesheet, and qualsite pdf."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from test_reading import search

from helpers import REPO, run_qualsite
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook").published()


def test_the_bundle_works_from_file_with_the_network_blocked(browser: Any, unzipped: Path) -> None:
    context = browser.new_context()
    outside: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    try:
        page.goto((unzipped / "index.html").as_uri())
        # The Findings section is itself the link to the categories' overview.
        page.get_by_role("navigation", name="Navigation").get_by_role(
            "link", name="Findings", exact=True
        ).click()
        page.wait_for_url(re.compile(r"/categories/index\.html$"))
        # Search, with no server: the index comes from a script, the worker from an iframe.
        phrase = "diary is full weeks ahead"
        results = search(page, phrase)
        assert any("high-clinical-volume.html" in r for r in results), results
        page.goto((unzipped / "model.html").as_uri())
        page.locator("svg.qs-figure__svg a", has_text="Individual dimension").click()
        page.wait_for_url(re.compile(r"/categories/individual-values\.html$"))
        assert page.locator("h1").inner_text().startswith("Individual dimension")
    finally:
        context.close()
    assert outside == []  # not one request even tried to leave the machine


def test_the_print_stylesheet(browser: Any, example: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(example.base + "print/")
        hidden = page.evaluate(
            "() => ['.md-header', '.md-sidebar--primary', '.md-footer']"
            ".map(s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none", "none", "none"]
        row = page.evaluate(
            "() => getComputedStyle("
            "document.querySelector('.qs-table__table tbody tr')).breakInside"
        )
        assert row == "avoid"
        breaks = page.evaluate(
            "() => [...document.querySelectorAll('article .qs-print-section')]"
            ".map(s => getComputedStyle(s).breakBefore)"
        )
        # The example's sections: its pages and qualsite's, the checklist and
        # the audit trail among them (tests/test_print_page.py lists them).
        assert len(breaks) == 11 and breaks[0] != "page" and set(breaks[1:]) == {"page"}
        shown = page.evaluate(
            "() => { const a = document.querySelector('article a[href^=\"http\"]');"
            " return a && getComputedStyle(a, '::after').content; }"
        )
        assert shown is None or "attr(href)" in shown or "http" in shown
    finally:
        context.close()


def test_qualsite_pdf_prints_the_report(browser: Any, tmp_path: Path) -> None:
    import pypdf

    out = tmp_path / "report.pdf"
    result = run_qualsite(
        "pdf", "--out", str(out), cwd=REPO, env={"SOURCE_DATE_EPOCH": "1750000000"}
    )
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) >= 1
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Building resilience in the Psychological Wellbeing" in flat
    assert "Peer support" in flat
    assert "Version 1.0, published" in flat
    assert "Download Table" not in flat  # links to files are for the screen
    # The site it was printed from is deleted: no link may lead into it.
    actions = [
        annotation.get_object().get("/A", {})
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]
    addresses = [str(a["/URI"]) for a in actions if "/URI" in a]
    assert not [a for a in addresses if not a.startswith("https://")]
    assert len(addresses) < len(actions)  # the rest lead to places in the report
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4, 210 mm
    metadata = reader.metadata
    assert metadata is not None and metadata.title is not None
    assert metadata.title.startswith("Building resilience")
    assert str(metadata.get("/CreationDate", "")).startswith("D:20250615")


def test_qualsite_pdf_without_a_browser_says_how_to_get_one(tmp_path: Path) -> None:
    result = run_qualsite("pdf", cwd=REPO, env={"QUALSITE_CHROMIUM": "/nonexistent/chromium"})
    assert result.returncode == 1
    assert "printing to PDF needs Chromium or Chrome: install Chromium" in result.stderr


def test_qualsite_pdf_checks_the_pdf_before_handing_it_over(
    browser: Any, example_copy: Path, tmp_path: Path
) -> None:
    # A script that writes a name as the page loads ("Oak" + "hanger"): no
    # file of the site holds it whole, so the site's check passes, but the
    # printed PDF shows it.
    (example_copy / "content" / "printed.js").write_text(
        'document.addEventListener("DOMContentLoaded", () => {\n'
        '  const note = document.createElement("p");\n'
        '  note.textContent = ["Zebedee", "Oak" + "hanger"].join(" ");\n'
        '  document.querySelector("article").append(note);\n'
        "});\n",
        encoding="utf-8",
    )
    config = example_copy / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "extra_javascript:\n  - printed.js\n",
        encoding="utf-8",
    )
    out = tmp_path / "dist" / "report.pdf"
    result = run_qualsite("pdf", "--out", str(out), cwd=example_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    # Written after the report's last words: on its last page.
    found = re.search(r"report\.pdf: the text of page (\d+) holds an identifier", result.stderr)
    assert found is not None and int(found.group(1)) > 1, result.stderr
    assert "oakhanger" not in (result.stdout + result.stderr).lower()
    assert not out.exists() and not out.parent.exists()

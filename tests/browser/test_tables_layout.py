"""The study's tables as a reader meets them: on a 320 px phone and a
1280 px desktop, in both palettes, and on paper.

On a narrow screen each row is a card whose cells keep their column's
heading in view; on a desktop the tables take the page's width; words stay
whole; every link is a big enough tap target; and when the report is
printed, a table's key stays on the page of its last row.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_reading import target_in_view_and_highlighted

from conftest import Served
from helpers import REPO
from qualsite.study import load_study

EXAMPLE = load_study(REPO / "codebook").published()
SCHEMES = {"light": "default", "dark": "slate"}
NARROW = (320, 360)
WIDTHS = (*NARROW, 1280)
#: The old fixed column the tables sat in on a desktop, beside an empty
#: table of contents.
OLD_COLUMN = 620

Page = Any  # playwright.sync_api.Page, kept loose so a missing browser only skips


def _open(browser: Any, example: Served, path: str, width: int, palette: str) -> tuple[Any, Page]:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=palette)
    page = context.new_page()
    page.goto(example.base + path)
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[palette]
    return context, page


#: Elements wider than the screen with no ancestor made to scroll sideways,
#: and table containers that would need a sideways scroll (something hidden).
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const inScroller = (element) => {
        for (let e = element.parentElement; e; e = e.parentElement) if (scrolls(e)) return true;
        return false;
    };
    const outside = [];
    for (const element of document.querySelectorAll('article *')) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if ((box.right > width + 1 || box.left < -1) && !inScroller(element)) {
            outside.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
        }
    }
    const clipped = [...document.querySelectorAll('.qs-table__scroll')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.parentElement.id);
    return {page: document.documentElement.scrollWidth - width, outside, clipped};
}"""

#: Words (runs between spaces and hyphens, where a line may break) that a
#: cell's line boxes split in two, and cells whose content is wider than
#: they are.
BROKEN_WORDS = """() => {
    const broken = [];
    const wide = [];
    for (const cell of document.querySelectorAll('.qs-table__table tbody :is(th, td)')) {
        if (cell.scrollWidth > cell.clientWidth + 1) wide.push(cell.textContent.trim());
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.textContent.matchAll(/[^\\s\\-\\u2013\\u2014\\/]+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set([...range.getClientRects()]
                    .filter(r => r.width > 0).map(r => Math.round(r.bottom)));
                if (lines.size > 1) broken.push(match[0]);
            }
        }
    }
    return {broken, wide};
}"""

#: Links of the tables page (and of a category page's list of rows)
#: smaller than 24 by 24 CSS px: WCAG 2.2, 2.5.8.
SMALL_TARGETS = """() => [...document.querySelectorAll(
        '.qs-table a, .qs-contents a, .qs-downloads--tables a, .qs-table-rows a')]
    .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && (box.width < 24 || box.height < 24))
    .map(([text, box]) => `${text} (${Math.round(box.width)}x${Math.round(box.height)})`)"""


@pytest.mark.parametrize("palette", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_tables_fit_the_screen_with_whole_words_and_big_enough_links(
    browser: Any, example: Served, width: int, palette: str
) -> None:
    context, page = _open(browser, example, "tables/", width, palette)
    try:
        overflow = page.evaluate(OVERFLOW)
        assert overflow["page"] <= 0, f"the page scrolls sideways by {overflow['page']}px"
        assert overflow["outside"] == [], "wider than the screen, outside a scrolling box"
        assert overflow["clipped"] == [], "a table is cut off behind a sideways scroll"
        words = page.evaluate(BROKEN_WORDS)
        assert words["broken"] == [], "words broken across two lines"
        assert words["wide"] == [], "cells whose content is wider than they are"
        assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()


@pytest.mark.parametrize("palette", SCHEMES)
def test_on_a_desktop_the_tables_take_the_width_of_the_page(
    browser: Any, example: Served, palette: str
) -> None:
    context, page = _open(browser, example, "tables/", 1280, palette)
    try:
        widths = page.evaluate(
            "() => [...document.querySelectorAll('.qs-table__table')]"
            ".map(t => [getComputedStyle(t).display, t.getBoundingClientRect().width])"
        )
        assert len(widths) == len(EXAMPLE.tables)
        for display, table_width in widths:
            assert display == "table"  # rows side by side, not cards
            # Beyond the old column, and most of the screen: the empty table
            # of contents no longer takes a column of its own.
            assert table_width > OLD_COLUMN and table_width >= 0.7 * 1280, widths
    finally:
        context.close()


#: Each table's column headings, and for every cell of its body, the
#: heading shown above it (the label its ::before draws) and whether it is
#: laid out as a card (a block as wide as its row).
CARDS = """() => [...document.querySelectorAll('.qs-table__table')].map(table => {
    const headings = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const cells = [...table.querySelectorAll('tbody :is(th, td)')]
        .filter(cell => cell.textContent.trim())
        .map(cell => {
            const label = getComputedStyle(cell, '::before');
            const shown = label.display !== 'none' ? label.content : '';
            const row = cell.closest('tr').getBoundingClientRect().width;
            return {shown, card: cell.getBoundingClientRect().width > row * 0.8};
        });
    return {headings, cells};
})"""


@pytest.mark.parametrize("palette", SCHEMES)
@pytest.mark.parametrize("width", NARROW)
def test_on_a_phone_each_row_is_a_card_whose_cells_show_their_heading(
    browser: Any, example: Served, width: int, palette: str
) -> None:
    context, page = _open(browser, example, "tables/", width, palette)
    try:
        tables = page.evaluate(CARDS)
        assert len(tables) == len(EXAMPLE.tables)
        for table in tables:
            assert table["cells"]
            for cell in table["cells"]:
                assert cell["card"], cell
                # The label is a column heading (a count's with its mark),
                # written for the eye and hidden from screen readers: '/ ""'.
                label = re.fullmatch(r'"(.+)" / ""', cell["shown"])
                assert label is not None and label.group(1) in table["headings"], cell
        # Screen readers still meet a table: its headings, and cells whose
        # names do not repeat the headings drawn for the eye.
        table = page.locator("#table-3 table")
        assert table.get_by_role("columnheader").count() == len(EXAMPLE.tables[2].columns)
        assert table.get_by_role("rowheader", name="Peer support").count() == 1
        participants = EXAMPLE.tables[2].rows
        assert table.get_by_role("cell", name=re.compile(r"^\d+ of \d+$")).count() == len(
            participants
        )
        # The count headings keep their note.
        note = table.get_by_role("columnheader", name="Participants")
        assert note.get_attribute("aria-describedby") == "table-3-counts"
    finally:
        context.close()


AXE = Axe()


@pytest.mark.parametrize("palette", SCHEMES)
@pytest.mark.parametrize("path", ["tables/", "categories/peer-support/", "print/"])
def test_axe_finds_no_violation_on_a_phone(
    browser: Any, example: Served, path: str, palette: str
) -> None:
    """test_accessibility checks each page type at desktop size; the cards
    are a layout of their own."""
    context, page = _open(browser, example, path, 360, palette)
    try:
        results = AXE.run(page)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_a_category_page_leads_to_its_row_in_a_table(browser: Any, example: Served) -> None:
    context, page = _open(browser, example, "categories/peer-support/", 360, "light")
    try:
        page.get_by_role("link", name="Table 3, row “Peer support”").click()
        page.wait_for_url(re.compile(r"/tables/#table-3-row-peer-support$"))
        target_in_view_and_highlighted(page, "table-3-row-peer-support")
        row = page.locator("#table-3-row-peer-support")
        assert row.get_by_role("rowheader").inner_text() == "Peer support"
    finally:
        context.close()


# -- on paper ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(browser: Any, example: Served) -> list[str]:
    """The text of each page of the Print page printed to PDF by Chromium."""
    import pypdf

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(example.base + "print/")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    # NFKC: the PDF's text has ligatures ("ﬁ") where the page has letters.
    return [
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
        for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]


def test_the_printed_report_opens_with_its_title_authors_version_and_date(
    printed: list[str],
) -> None:
    meta = EXAMPLE.meta
    first = printed[0]
    places = [
        first.find(meta.title),
        *(first.find(author.name) for author in meta.authors),
        first.find(f"Version {meta.version}, published"),
    ]
    assert -1 not in places and places == sorted(places), (places, first[:300])


def test_a_printed_tables_caption_and_key_stay_with_its_rows(printed: list[str]) -> None:
    start = next(i for i, text in enumerate(printed) if "Table 1. Work-related challenges" in text)
    for table in EXAMPLE.tables:
        caption = f"Table {table.number}. {table.title}"
        at = next(i for i in range(start, len(printed)) if caption in printed[i])
        # The caption is not left at the foot of a page without its first row.
        first_row = EXAMPLE.category(table.rows[0]).name
        assert first_row in printed[at].split(caption, 1)[1], f"Table {table.number}'s first row"
        last_row = EXAMPLE.category(table.rows[-1]).name
        end = next(i for i in range(at, len(printed)) if last_row in printed[i])
        after = printed[end].split(last_row, 1)[1]
        for note in ("† Counted from this example's paraphrases", "paraphrase: Illustrative"):
            assert note in after, f"Table {table.number}'s key is not on its last row's page"

"""The Print page, put together once every page has been rendered.

Each part is rendered by MkDocs as a page of its own at its own place in the
site (so that MkDocs resolves its links and images as on that page), then
:func:`qualsite.render.printing.assemble` joins them and re-points links.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from functools import partial
from typing import Protocol

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..i18n import _
from ..render import text
from ..render.pages import SiteRenderer
from ..render.printing import (
    PrintedPage,
    PrintPart,
    RenderedPart,
    assemble,
    section_markdown,
)
from ..render.urls import PRINT_PAGE
from .prerendered_blocks import OwnMarkdown


class RenderedParts(Protocol):
    """Parts rendered by an earlier build (qualsite serve's rebuilds)."""

    def print_part(
        self, src: str, markdown: str, render: Callable[[], tuple[str, TableOfContents]]
    ) -> tuple[str, TableOfContents]: ...


def fill_print_page(
    page: Page,
    parts: Sequence[PrintPart],
    content_markdown: Mapping[str, str],
    renderer: SiteRenderer,
    config: MkDocsConfig,
    files: Files,
    earlier: RenderedParts | None = None,
    own_markdown: OwnMarkdown | None = None,
) -> None:
    """Give the Print page (rendered so far from its header alone) every part.

    ``content_markdown`` holds the user's pages as prepared for printing, by
    source path. A part whose Markdown ``earlier`` rendered before is taken
    from it. ``own_markdown`` is switched on while qualsite's sections are
    rendered. Raises :class:`qualsite.render.printing.RepeatedIdError`.
    """
    rendered: list[RenderedPart] = []
    tocs: list[TableOfContents] = []
    for part in parts:
        if part.kind == "content":
            own = files.get_file_from_path(part.src)
            if own is None or own.page is None or part.src not in content_markdown:
                continue  # a page left out of this build (a draft)
            src, markdown, title = part.src, content_markdown[part.src], own.page.title or ""
        else:
            src, markdown, title = PRINT_PAGE, section_markdown(renderer, part.kind), ""
        switch = own_markdown if part.kind != "content" else None
        render = partial(_render_at, src, markdown, config, files, switch)
        html, toc = render() if earlier is None else earlier.print_part(src, markdown, render)
        if part.kind == "content" and _nothing_to_print(html):
            # A page that another plugin fills in as it renders it (Material's
            # tags index: a heading and a marker) would be an empty chapter.
            continue
        rendered.append(RenderedPart(part, src, html, title))
        tocs.append(toc)
    page_urls = frozenset(f.url for f in files.documentation_pages())
    printed = assemble(renderer, page.content or "", rendered, page_urls)
    page.content = printed.html
    page.toc = _joined_toc(page.toc, printed, rendered, tocs)
    page.present_anchor_ids = set(printed.ids)


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.DOTALL | re.IGNORECASE)
_SHOWN = re.compile(r"<(img|svg|table|figure|iframe|video|audio|object|canvas)\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _nothing_to_print(html: str) -> bool:
    """Whether a page's HTML holds nothing but headings and comments."""
    body = _HEADING.sub("", _COMMENT.sub("", html))
    return not _SHOWN.search(body) and not _TAG.sub("", body).strip()


def _render_at(
    src: str, markdown: str, config: MkDocsConfig, files: Files, own: OwnMarkdown | None
) -> tuple[str, TableOfContents]:
    """``markdown`` as HTML, as if it were the page at ``src``; ``own`` is
    switched on while it renders, if given."""
    stand_in = Page(None, File.generated(config, src, content=markdown), config)
    stand_in.markdown = markdown
    # The page itself was checked when it was rendered; its warnings about
    # links would only come twice.
    silenced = _silenced(logging.getLogger("mkdocs.structure.pages"))
    with silenced, own.rendering() if own is not None else nullcontext():
        stand_in.render(config, files)
    return stand_in.content or "", stand_in.toc


@contextmanager
def _silenced(logger: logging.Logger) -> Iterator[None]:
    def drop(record: logging.LogRecord) -> bool:
        return False

    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


def _joined_toc(
    header: TableOfContents,
    printed: PrintedPage,
    parts: Sequence[RenderedPart],
    tocs: Sequence[TableOfContents],
) -> TableOfContents:
    items: list[AnchorLink] = list(header)
    for part, section, toc in zip(parts, printed.sections, tocs, strict=True):
        entries = [_prefixed(item, section.prefix) for item in toc]
        if section.titled:
            title = AnchorLink(part.title, section.anchor, 1)
            title.children = entries
            entries = [title]
        items.extend(entries)
    # Material lists the children of a page's first h1 (its title) as the
    # page's contents, and its "Skip to content" link leads to that h1; here
    # every section's h1 is one of the contents, and content starts with the
    # first section.
    first = printed.sections[0].anchor if printed.sections else ""
    # A title in the contents is HTML to the theme: a translation is text.
    # Translators: the Print page's title: the whole study on one page, to print.
    contents = AnchorLink(str(text.html(_("Print"))), first, 1)
    contents.children = items
    return TableOfContents([contents])


def _prefixed(item: AnchorLink, prefix: str) -> AnchorLink:
    copy = AnchorLink(item.title, prefix + item.id, item.level)
    copy.children = [_prefixed(child, prefix) for child in item.children]
    return copy

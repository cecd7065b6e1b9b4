"""The Print page: the whole report on one page, in reading order (the
navigation's), for paper and for `qualsite pdf`.

On one page, every id must be unique: the figure and each table are printed
once, in their own section (an embed of them elsewhere becomes a reference),
excerpts carry no anchor (an excerpt coded to two categories is printed under
both), and links between categories lead to their sections on this page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..study.model import Category
from .embeds import Embed, EmbedTargets, expand_embeds
from .pages import GeneratedPage, SiteRenderer
from .text import markdown_inline
from .urls import PRINT_PAGE, PageLinks


@dataclass(frozen=True, slots=True)
class PrintPart:
    """One stretch of the report: a page of the user's, or a generated section."""

    kind: str  # "content", "model", "tables", "categories" or "cite"
    src: str = ""
    markdown: str = ""  # for "content": the page's Markdown, front matter removed


def category_anchor(category: Category) -> str:
    return f"print-category-{category.id}"


def print_page(renderer: SiteRenderer, parts: Sequence[PrintPart]) -> GeneratedPage:
    kinds = {part.kind for part in parts}
    links = PageLinks(renderer.urls, PRINT_PAGE)
    sections: list[Markup] = []
    for part in parts:
        if part.kind == "content":
            sections.append(Markup(_content(renderer, part, kinds)))
        elif part.kind == "categories":
            sections.append(_categories(renderer, links))
        elif part.kind == "model" and renderer.study.model is not None:
            heading = f"# {markdown_inline(renderer.study.model.title)}\n\n"
            sections.append(Markup(heading + renderer.figure_html(PRINT_PAGE)))
        elif part.kind == "tables":
            tables = [renderer.table_html(t.number, PRINT_PAGE) for t in renderer.study.tables]
            sections.append(Markup("# Tables\n\n" + "\n\n".join(tables)))
        elif part.kind == "cite":
            sections.append(Markup(_without_front_matter(renderer.cite_page().markdown)))
    return renderer._render(
        "print.md.j2",
        PRINT_PAGE,
        "Print",
        sections=sections,
        kinds=[part.kind for part in parts],
    )


def _reference(text: str) -> str:
    return f'<p class="qs-print-reference"><em>{text}</em></p>'


def _without_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            return markdown[end + 5 :]
    return markdown


def _content(renderer: SiteRenderer, part: PrintPart, kinds: set[str]) -> str:
    study = renderer.study

    def render(embed: Embed) -> str:
        argument = embed.argument or ""
        if embed.kind == "category":
            category = study.category(argument)
            return (
                f"[{markdown_inline(embed.label or category.name)}](#{category_anchor(category)})"
            )
        if embed.kind == "figure" and "model" in kinds and study.model is not None:
            return _reference(f"Figure {study.model.number} is printed in its own section.")
        if embed.kind == "table" and "tables" in kinds:
            number = int(argument) if argument else study.tables[0].number
            return _reference(f"Table {number} is printed with the tables.")
        if embed.kind == "excerpt":
            return renderer.print_excerpt_html(study.excerpts_by_id[argument], PRINT_PAGE)
        return renderer.embed(embed, PRINT_PAGE)

    targets = EmbedTargets(
        frozenset(study.categories_by_id),
        frozenset(study.excerpts_by_id),
        frozenset(t.number for t in study.tables),
        frozenset({study.model.number} if study.model else ()),
    )
    expanded = expand_embeds(
        part.markdown, shown_path=part.src, first_line=1, render=render, targets=targets
    )
    return _relink(expanded, part.src)


_LINK = re.compile(r"(\]\()([^)\s#]+)(#[^)\s]*)?(\s+\"[^\"]*\")?(\))")


def _relink(markdown: str, src: str) -> str:
    """Relative links of a page in a sub-folder, made relative to the Print
    page (at the top of the site) instead."""
    folder = posixpath.dirname(src)
    if not folder:
        return markdown

    def move(match: re.Match[str]) -> str:
        target = match.group(2)
        if "://" in target or target.startswith(("/", "mailto:")):
            return match.group(0)
        moved = posixpath.normpath(posixpath.join(folder, target))
        return "".join(
            [match.group(1), moved, match.group(3) or "", match.group(4) or "", match.group(5)]
        )

    return _LINK.sub(move, markdown)


def _categories(renderer: SiteRenderer, links: PageLinks) -> Markup:
    macros = renderer.environment.get_template("macros.html.j2").module
    blocks = ['<h1 id="print-categories">Categories</h1>']
    study = renderer.study
    for category in study.categories:
        views = [
            renderer.excerpt_view(e, links, category) for e in study.excerpts_coded_to(category)
        ]
        depth = len(study.ancestors(category))
        printed = macros.print_category(category, depth, renderer.counts(category), views)  # type: ignore[attr-defined]
        blocks.append(str(printed))
    return Markup("\n\n".join(blocks))

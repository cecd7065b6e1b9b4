"""What the site's search finds, and what each result shows.

The theme's search plugin reads every page's HTML and writes one entry per
heading to ``search/search_index.json``; its snippet of a result is that
entry's text. Left to itself it would index a category page's breadcrumbs
and tree (a snippet that is a numbered list of names), the whole category
tree of the overview, and each excerpt as part of a long section, away from
the participant and the label that say whose words they are and whether
they are words at all.

So the templates mark what is a way around the site rather than its text
(``data-search-exclude``, which the search plugin skips), and, once the
index is written, :func:`shape_search_index`:

- gives each category's entry the category's definition as its text, in
  place of the heading's section (the level, the counts, the place in the
  figure), so that the result leads with what the category means;
- drops the sections of qualsite's pages that nothing is left in;
- adds one entry per published excerpt, where its first category's pages
  show it: the excerpt's words as the text, and as the title the
  participant's pseudonymous label and the excerpt's label (a paraphrase,
  say). The title is shown, not searched: written into an attribute that
  the stylesheet displays, it matches no query, so that a search for
  "Participant 4" does not gather one person's words into one list (which
  participant pages are off by default to avoid), and a search for "words"
  does not find every excerpt labelled "not a participant's words".

Everything here comes from the published study: a withdrawn participant's
or an unpublished excerpt's words have no entry to come from. The output
gate reads the finished index as it reads every file.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..guard.scan import SEARCH_INDEX as SEARCH_INDEX  # where the index is, for the adapters
from ..memo import BuildMemo
from ..study.model import Excerpt, Study
from .paging import ExcerptPaging
from .text import paragraph_texts
from .urls import SiteUrls, category_src

#: The class and attribute of a shown-not-searched caption (see qualsite.css).
CAPTION_CLASS = "qs-search-caption"
CAPTION_ATTRIBUTE = "data-qs-caption"


@dataclass(frozen=True, slots=True)
class CategoryLead:
    """What a category's own search entry shows: its name and its definition."""

    title: str  # HTML
    text: str  # HTML
    heading: str  # the page's first heading, as the search plugin writes it (unescaped)


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """How qualsite's pages appear in the search index."""

    #: Addresses (as the index writes them) of the pages qualsite made.
    generated: frozenset[str]
    #: Each category's first page: what its entry leads with.
    leads: Mapping[str, CategoryLead]
    #: Each page's excerpts, in the order the page shows them.
    excerpts: Mapping[str, Sequence[Excerpt]]
    #: An excerpt's entry on a page (made as the index is written: a big
    #: study's entries are tens of megabytes, not all needed at once).
    entry: Callable[[str, Excerpt], dict[str, str]]
    #: Pages of ``generated`` left out of the index (a later language's,
    #: when the default language's pages hold the same texts).
    dropped: frozenset[str] = frozenset()

    def entries(self, page: str) -> list[dict[str, str]]:
        return [self.entry(page, excerpt) for excerpt in self.excerpts.get(page, ())]


#: The excerpts' search entries of ``mkdocs serve``'s builds in this process.
PREVIEW_ENTRIES: BuildMemo[tuple[str, ...], dict[str, str]] = BuildMemo()


def search_plan(
    study: Study,
    *,
    urls: SiteUrls,
    paging: ExcerptPaging,
    kind_label: Callable[[Excerpt], str],
    generated_srcs: Iterable[str],
    folder: str = "",
    memo: BuildMemo[tuple[str, ...], dict[str, str]] | None = None,
) -> SearchPlan:
    """The search entries of a published study's pages; ``folder`` is where
    the pages are in the site, when it is built once per language ("de/").
    Under ``mkdocs serve``, ``memo`` keeps each excerpt's entry for the next
    build, under everything it is made from (its page, anchor, words and
    caption), and hands it back when the next build asks for the same."""
    leads = {
        folder + urls.url(category_src(category)): CategoryLead(
            title=_text(category.name),
            text=_paragraphs(category.definition or ""),
            heading=" ".join(category.name.split()),
        )
        for category in study.categories
    }
    excerpts: dict[str, list[Excerpt]] = {}
    for excerpt in study.excerpts:
        if not excerpt.category_ids:
            continue
        home = study.category(excerpt.category_ids[0])
        page = folder + urls.url(category_src(home, paging.page_number(home, excerpt)))
        excerpts.setdefault(page, []).append(excerpt)

    def made_entry(page: str, anchor: str, caption: str, text: str) -> dict[str, str]:
        return {
            "location": f"{page}#{anchor}",
            "title": (
                f'<span class="{CAPTION_CLASS}" '
                f'{CAPTION_ATTRIBUTE}="{html.escape(" ".join(caption.split()))}"></span>'
            ),
            "text": _paragraphs(text),
        }

    def entry(page: str, excerpt: Excerpt) -> dict[str, str]:
        participant = study.participant(excerpt.participant_id)
        caption = " · ".join(part for part in (participant.label, kind_label(excerpt)) if part)
        made = (page, excerpt.anchor, caption, excerpt.text)
        if memo is None:
            return made_entry(*made)
        return memo.get(made, lambda: made_entry(*made))  # the entry is never changed

    if memo is not None:
        memo.start(None)
    generated = frozenset(folder + urls.url(src) for src in generated_srcs)
    return SearchPlan(generated, leads, excerpts, entry)


def combined_plan(plans: Sequence[SearchPlan]) -> SearchPlan:
    """One plan for an index that holds several builds' pages (a site built
    once per language, each language's pages in its own folder); each page's
    excerpts are written by its own build's plan, in its language."""
    if len(plans) == 1:
        return plans[0]
    by_page = {page: plan for plan in plans for page in plan.excerpts}

    def entry(page: str, excerpt: Excerpt) -> dict[str, str]:
        return by_page[page].entry(page, excerpt)

    return SearchPlan(
        generated=frozenset().union(*(plan.generated for plan in plans)),
        leads={page: lead for plan in plans for page, lead in plan.leads.items()},
        excerpts={page: shown for plan in plans for page, shown in plan.excerpts.items()},
        entry=entry,
        dropped=frozenset().union(*(plan.dropped for plan in plans)),
    )


def shape_search_index_file(path: Path, plan: SearchPlan) -> None:
    """Shape the search index at ``path`` (:func:`shape_search_index`),
    writing it out entry by entry rather than as one string: a big study's
    index is tens of megabytes, read while the whole site is in memory."""
    index_json = path.read_text("utf-8")
    shaped = path.with_name(f".{path.name}.shaped")
    try:
        with shaped.open("w", encoding="utf-8") as out:
            streamed = _shape_streaming(index_json, plan, out.write)
        if streamed:
            shaped.replace(path)
            return
    finally:
        shaped.unlink(missing_ok=True)
    path.write_text(shape_search_index(index_json, plan), "utf-8")


class _NotStreamed(Exception):
    """An index laid out otherwise than the theme writes it: shaped whole."""


_SPACE = re.compile(r"[ \t\n\r]+")
_DECODER = json.JSONDecoder()


def _skip_space(text: str, position: int) -> int:
    space = _SPACE.match(text, position)
    return space.end() if space else position


def _dumped(value: object) -> str:
    # As the theme writes it: compact, and the same bytes for the same site.
    return json.dumps(value, separators=(",", ":"), default=str)


def _shape_streaming(text: str, plan: SearchPlan, write: Callable[[str], object]) -> bool:
    """Write what :func:`shape_search_index` returns, the same bytes, one
    entry at a time; False (having written something or nothing) when the
    index is not Material's, or not laid out as Material writes it."""

    def at(position: int, expected: str) -> int:
        position = _skip_space(text, position)
        if not text.startswith(expected, position):
            raise _NotStreamed
        return position + len(expected)

    def value(position: int) -> tuple[Any, int]:
        try:
            return _DECODER.raw_decode(text, _skip_space(text, position))
        except json.JSONDecodeError:
            raise _NotStreamed from None

    try:
        position = at(0, "{")
        seen: set[str] = set()
        material = False
        write("{")
        while True:
            key, position = value(position)
            if not isinstance(key, str) or key in seen:
                raise _NotStreamed
            position = at(position, ":")
            write(("," if seen else "") + _dumped(key) + ":")
            seen.add(key)
            if key == "docs":
                if not material:
                    raise _NotStreamed  # no config before the entries: read whole
                position = _stream_entries(text, at(position, "["), plan, write, value, at)
            else:
                member, position = value(position)
                if key == "config":
                    material = isinstance(member, dict) and "fields" in member
                write(_dumped(member))
            position = _skip_space(text, position)
            if text.startswith(",", position):
                position += 1
                continue
            position = at(position, "}")
            break
        if "docs" not in seen or text[position:].strip():
            raise _NotStreamed
    except _NotStreamed:
        return False
    write("}")
    return True


def _stream_entries(
    text: str,
    position: int,
    plan: SearchPlan,
    write: Callable[[str], object],
    value: Callable[[int], tuple[Any, int]],
    at: Callable[[int, str], int],
) -> int:
    """Write the shaped entries of the array whose first entry is at ``position``."""
    end = [position]

    def entries() -> Iterator[dict[str, Any]]:
        if text.startswith("]", _skip_space(text, end[0])):
            end[0] = at(end[0], "]")
            return
        while True:
            entry, end[0] = value(end[0])
            if not isinstance(entry, dict):
                raise _NotStreamed
            yield entry
            after = _skip_space(text, end[0])
            if text.startswith(",", after):
                end[0] = after + 1
                continue
            end[0] = at(end[0], "]")
            return

    write("[")
    first = True
    for page, group in _by_page(entries()):
        shaped = group if page not in plan.generated else _shape_page(page, group, plan)
        for entry in shaped:
            write(("" if first else ",") + _dumped(entry))
            first = False
    write("]")
    return end[0]


def shape_search_index(index_json: str, plan: SearchPlan) -> str:
    """The search index with qualsite's pages shaped by ``plan`` (see the
    module's description); other pages' entries are left as they are."""
    index: dict[str, Any] = json.loads(index_json)
    if "fields" not in index.get("config", {}):
        # Not Material's search (MkDocs' own shows a title as text, and
        # would print a caption's markup): its index is left as it is.
        return index_json
    entries: list[dict[str, Any]] = index.get("docs", [])
    shaped: list[dict[str, Any]] = []
    # The entries of one page follow one another, the page's own first.
    for page, group in _by_page(entries):
        if page not in plan.generated:
            shaped.extend(group)
            continue
        shaped.extend(_shape_page(page, group, plan))
    index["docs"] = shaped
    # As the theme writes it: compact, and the same bytes for the same site.
    return json.dumps(index, separators=(",", ":"), default=str)


def _shape_page(page: str, group: list[dict[str, Any]], plan: SearchPlan) -> list[dict[str, Any]]:
    if page in plan.dropped:
        return []
    lead = plan.leads.get(page)
    result: list[dict[str, Any]] = []
    heading_dropped = False
    for entry in group:
        own = "#" not in entry.get("location", "")
        if own and lead is not None:
            entry = {**entry, "title": lead.title, "text": lead.text}
        elif (
            lead is not None
            and not heading_dropped
            and html.unescape(str(entry.get("title", ""))).strip() == lead.heading
        ):
            # The page's heading, after the breadcrumbs that search skips:
            # its section (level, counts, definition) is now the page's own entry.
            heading_dropped = True
            continue
        elif not own and not str(entry.get("text", "")).strip():
            continue  # a heading whose section holds only what search skips
        result.append(entry)
    if result:  # excerpts only on a page the index has (one search excluded has none)
        result.extend(plan.entries(page))
    return result


def _by_page(entries: Iterable[dict[str, Any]]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    page: str | None = None
    group: list[dict[str, Any]] = []
    for entry in entries:
        entry_page = str(entry.get("location", "")).split("#", 1)[0]
        if entry_page != page and group:
            yield page or "", group
            group = []
        page = entry_page
        group.append(entry)
    if group:
        yield page or "", group


def _text(text: str) -> str:
    """Plain text as the search plugin writes a page's text (``&``, ``<`` and
    ``>`` escaped; quotes as written, so that "participant's" is one word
    to search for)."""
    return html.escape(" ".join(text.split()), quote=False)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_text(block)}</p>" for block in paragraph_texts(text))

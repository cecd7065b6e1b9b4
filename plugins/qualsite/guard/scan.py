"""Where the field-by-field checks look, and what they say.

Every text the site can print is checked against the deny-list: each field
of the study (ids included: they become addresses, anchors and SVG ids),
``mkdocs.yml``, the pages and every other text file in ``docs_dir`` (their
names too), and the template overrides. A finding names the file and line.

The personal-data patterns are checked where participants' words and
details live: excerpts, participants and memos. Elsewhere (pages,
definitions, the study's description, ``mkdocs.yml``) the researchers may
publish a web address, their own e-mail or a date; what the patterns find
there is *approved*, so that the output gate, which matches the patterns on
the finished site, does not stop for it.

No message quotes what was found, nor an id (an id can be the identifier):
the file, the line and the kind of finding are enough to fix it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content import ContentFile
from ..errors import Location, Problem, Problems, display_path
from ..fields import Origin
from ..study.model import Author, Publication, Study
from .approval import approval_keys, exact_key
from .denylist import DenyList, deny_problem
from .normalise import fold_for_patterns
from .pdf import PAGE_TEXT, PdfDamagedError, pdf_views
from .scan_memo import ScanMemo, look_in
from .withheld import rigour_texts

#: Files of docs_dir and of the template folders read as text (the others,
#: images and the like, are checked by the output gate where it can read them).
TEXT_SUFFIXES = frozenset(
    [
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".xml",
        ".svg",
        ".css",
        ".js",
        ".json",
        ".csv",
        ".tsv",
        ".yml",
        ".yaml",
        ".j2",
        ".bib",
        ".cff",
        ".tex",
        ".dot",
        ".gv",
        ".rst",
    ]
)
#: Where the theme's search plugin writes its index, in the site folder
#: (:mod:`qualsite.render.search` shapes it; it imports this, as the guard
#: may not import the renderer).
SEARCH_INDEX = "search/search_index.json"

#: Larger text files are the output gate's to read.
_MAX_SCANNED_BYTES = 8 * 2**20


@dataclass(frozen=True, slots=True)
class Text:
    """One text to scan: what it is (for the message), where, and the text."""

    what: str
    location: Location
    text: str
    patterns: bool = False  # also scan for personal-data patterns
    allowed: frozenset[str] = frozenset()
    line_by_line: bool = False  # report the line of the match (whole files)
    #: The field accepts ``allow:`` (an excerpt's), so the message may offer it.
    can_allow: bool = False
    #: What the patterns find is let through in this output file only (its
    #: path as published), by its exact text: a page's tables in the search
    #: index, which runs their cells together; a PDF's page, whose layout
    #: does the same, and a section's number reads as a date.
    scope: str | None = None
    #: What the patterns find in a :attr:`scope`'s text is also noted (an
    #: INFO line) for the researcher to look at.
    noted: bool = False


@dataclass
class ScanResult:
    #: Personal-data matches published by design (pages, the study's own
    #: description, allowed kinds), folded: the output gate lets them pass.
    approved: set[str] = field(default_factory=set)
    #: What looks like personal data in texts that are :attr:`Text.noted`.
    notes: list[Problem] = field(default_factory=list)
    #: Matches let through in one output file only (:attr:`Text.scope`):
    #: their exact texts (:func:`.approval.exact_key`), by the file's path.
    scoped: dict[str, set[str]] = field(default_factory=dict)


# -- the study --------------------------------------------------------------------


def study_texts(study: Study) -> Iterator[Text]:
    yield from _meta_texts(study)
    for participant in study.participants:
        origin = participant.origin
        yield Text("a participant's id", origin.at("id"), participant.id)
        yield Text("a participant's label", origin.at("label"), participant.label, patterns=True)
        for name, value in participant.attributes.items():
            where = origin.at("attributes")
            yield Text("a participant's attribute", where, f"{name} {value}", patterns=True)
    for category in study.categories:
        origin = category.origin
        yield Text("a category's id", origin.at("id"), category.id)
        yield Text("a category's name", origin.at("name"), category.name)
        for index, old in enumerate(category.renamed_from):
            yield Text("a category's former id", origin.at("renamed_from", index), old)
        for name in ("level", "definition"):
            value = getattr(category, name)
            if value:
                yield Text(f"a category's {name}", origin.at(name), value)
        for index, memo in enumerate(category.memos):
            where = origin.at("memo", index if len(category.memos) > 1 else None)
            yield Text("a category's memo", where, memo.text, patterns=True)
    for excerpt in study.excerpts:
        origin = excerpt.origin
        allowed = frozenset(excerpt.allow)
        yield Text("an excerpt's id", origin.at("id"), excerpt.id)
        for what, name, value in (
            ("an excerpt's text", "text", excerpt.text),
            ("an excerpt's source", "source", excerpt.source.describe() if excerpt.source else ""),
        ):
            if value:
                where = origin.at(name)
                yield Text(what, where, value, patterns=True, allowed=allowed, can_allow=True)
    for table in study.tables:
        origin = table.origin
        yield Text("a table's title", origin.at("title"), table.title)
        if table.caption:
            yield Text("a table's caption", origin.at("caption"), table.caption)
        for column in table.columns:
            if column.heading:
                yield Text("a table's column heading", origin.at("columns"), column.heading)
    yield from _model_texts(study)
    yield from _rigour_texts(study)


def _rigour_texts(study: Study) -> Iterator[Text]:
    """The audit trail and the checklist: written by the researchers, about
    the analysis, and read as freely as a memo."""
    for what, where, text in rigour_texts(study):
        yield Text(what, where, text, patterns=True)
    for retired in study.retired:
        yield Text("a retired category's id", retired.origin.at("id"), retired.id)


def _meta_texts(study: Study) -> Iterator[Text]:
    meta = study.meta
    names = [
        "title",
        "subtitle",
        "methodology",
        "ethics",
        "abstract",
        "citation",
        "licence",
        "version",
        "doi",
        "url",
        "date",
        "contact",
    ]
    for name in names:
        value = getattr(meta, name)
        if value:
            yield Text(f"the study's {name}", meta.origin.at(name), str(value))
    if meta.year is not None:
        yield Text("the study's year", meta.origin.at("year"), str(meta.year))
    for kind, label in meta.excerpt_labels.items():
        yield Text(f"the label of {kind} excerpts", meta.origin.at("excerpt_labels"), label)
    for kind, label in meta.added_labels.items():
        yield Text(f"the label of {kind}", meta.origin.at("added_labels"), label)
    for field_name, people in (("authors", meta.authors), ("site_authors", meta.site_authors)):
        for index, author in enumerate(people):
            where = meta.origin.at(field_name, index)
            for part in (author.affiliation, author.orcid):
                if part:
                    yield Text("an author's affiliation or ORCID iD", where, part)
    yield from _publication_texts(meta.publication)


def _publication_texts(publication: Publication | None) -> Iterator[Text]:
    """The study's publication, as its references print it."""
    if publication is None:
        return
    origin = publication.origin
    for name in _PUBLICATION_TEXTS:
        value = getattr(publication, name)
        if value is not None:
            yield Text(f"the publication's {name}", origin.at(name), str(value))
    if "authors" in origin.field_lines:  # its own authors, not the study's again
        for index, author in enumerate(publication.authors):
            for part in (author.affiliation, author.orcid):
                if part:
                    where = origin.at("authors", index)
                    yield Text("an author's affiliation or ORCID iD", where, part)


_PUBLICATION_TEXTS = (
    "title", "year", "journal", "volume", "issue", "pages", "number", "publisher",
    "institution", "thesis_type", "doi", "url",
)  # fmt: skip


def _model_texts(study: Study) -> Iterator[Text]:
    model = study.model
    if model is None:
        return
    yield Text("the figure's title", model.origin.at("title"), model.title)
    if model.caption:
        yield Text("the figure's caption", model.origin.at("caption"), model.caption)
    parts: Sequence[tuple[str, str, str | None, Origin]] = [
        *(("a group", g.id, g.label, g.origin) for g in model.groups),
        *(("a node", n.id, n.label, n.origin) for n in model.nodes),
    ]
    for what, item_id, label, origin in parts:
        yield Text(f"the figure: {what}'s id", origin.at("id"), item_id)
        if label:
            yield Text(f"the figure: {what}'s label", origin.at("label"), label)
    for edge in study.model.edges if study.model else ():
        if edge.label:
            yield Text("the figure: an arrow's label", edge.origin.at("label"), edge.label)


# -- files: the pages and the rest of docs_dir, templates, mkdocs.yml ---------------


def content_texts(content: Sequence[ContentFile]) -> Iterator[Text]:
    """The pages and every text file of docs_dir, and every file's name
    (which becomes its address).

    A page is the researchers' own writing, where a web address, their
    e-mail or a date is theirs to publish. Any other text file (a CSV of
    demographics, notes, a script) is checked for personal data as an
    excerpt is.
    """
    for item in content:
        shown = display_path(item.path)
        yield Text("the file's name", Location(shown), item.src_uri)
        if item.path.suffix.lower() == ".pdf":
            yield from _pdf_texts(item.path, shown, item.src_uri)
        elif item.is_page or item.path.suffix.lower() in TEXT_SUFFIXES:
            text = _read_text(item.path)
            if text is None:
                continue
            what = "the page" if item.is_page else "the file"
            checked = not item.is_page
            where = Location(shown, 1)
            yield Text(what, where, text, patterns=checked, line_by_line=True)
            shown_text = as_shown(text)
            if shown_text != text:
                # A name split by markup or written with entities is one
                # word on the page: found here, it is reported at its line.
                yield Text(f"{what} (as shown)", where, shown_text, line_by_line=True)
            if item.is_page and "|" in text:
                # The search index runs a table's cells together ("0 1 2 0
                # 3 1 0 0 2 1", a row of counts, reads as a phone number):
                # let through there, as the index gives it, and nowhere else.
                tables = as_searched_tables(shown_text)
                if tables.strip():
                    yield Text(
                        f"{what} (its tables, as searched)",
                        where,
                        tables,
                        line_by_line=True,
                        scope=SEARCH_INDEX,
                    )


def _pdf_texts(path: Path, shown: str, src_uri: str) -> Iterator[Text]:
    """A PDF's text, as the output gate reads it (:mod:`.pdf`), page by
    page: a name is an error, as anywhere, named by its page; what looks
    like personal data in a page's words is noted for the researcher
    (:attr:`Text.noted`) and let through in that PDF only, and in its
    comments, information and form fields checked as any file's. What the
    gate reads for names only (the software and dates it records, its raw
    data, its links) is left to the gate, so that nothing in it counts as
    published by design; so is a PDF that cannot be read."""
    try:
        views = pdf_views(path.read_bytes())
    except (OSError, PdfDamagedError):
        return
    for view in views:
        if not view.patterns:
            continue
        if view.where.startswith(PAGE_TEXT):
            yield Text(view.where, Location(shown), view.text, scope=src_uri, noted=True)
        else:  # its comments, information, form fields: checked as any file's text
            yield Text(view.where, Location(shown), view.text, patterns=True)


_TABLE_ROW = re.compile(r"^\s*\|?.*\|.*$")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")
_FENCE = re.compile(r"^\s*(```+|~~~+)")


def as_searched_tables(markdown: str) -> str:
    """Each Markdown table of a page (a header row, then its delimiter row:
    ``|---|---|``; not in a fenced code block) as one line of its cells'
    words, as the search index gives them, on the line of the table's first
    row; the page's other lines left empty, so that line numbers stay the
    page's."""
    lines = markdown.split("\n")
    out = [""] * len(lines)
    fence: str | None = None
    number = 0
    while number < len(lines):
        line = lines[number]
        opening = _FENCE.match(line)
        if fence is not None:
            marker = opening.group(1) if opening else ""
            if marker[:1] == fence[0] and len(marker) >= len(fence):
                fence = None
        elif opening:
            fence = opening.group(1)
        elif (
            _TABLE_ROW.match(line)
            and number + 1 < len(lines)
            and _DELIMITER_ROW.match(lines[number + 1])
        ):
            start, cells = number, []
            while number < len(lines) and _TABLE_ROW.match(lines[number]):
                cells += [
                    cell.strip()
                    for cell in lines[number].strip().strip("|").split("|")
                    if cell.strip() and not _DELIMITER_CELL.match(cell)
                ]
                number += 1
            out[start] = " ".join(" ".join(cells).split())
            continue
        number += 1
    return "\n".join(out)


# Markup that a page shows as nothing: comments, tags, Markdown's emphasis.
_UNSHOWN = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>|[*_`~=^]+", re.DOTALL)


def as_shown(markdown: str) -> str:
    """A page's text with its markup taken out and entities decoded, line
    breaks kept where they were."""
    return html.unescape(_UNSHOWN.sub(lambda m: "\n" * m.group().count("\n"), markdown))


def template_texts(folders: Iterable[Path]) -> Iterator[Text]:
    """Every text file of the template folders: what they hold is printed on
    every page they render."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            shown = display_path(path)
            yield Text("the template file's name", Location(shown), path.name)
            if path.suffix.lower() in TEXT_SUFFIXES:
                text = _read_text(path)
                if text is not None:
                    where = Location(shown, 1)
                    yield Text("the template", where, text, line_by_line=True)
                    yield Text("the template (as shown)", where, as_shown(text), line_by_line=True)


def config_texts(config_file: Path | None) -> Iterator[Text]:
    """Every value (and key) written in ``mkdocs.yml``: the site's name,
    copyright, navigation titles and ``extra`` are printed on every page, and
    any other value may be, by a theme or a plugin."""
    if config_file is None or not config_file.is_file():
        return
    shown = display_path(config_file)
    text = _read_text(config_file)
    if text is None:
        return
    try:
        # Composed, never constructed: MkDocs' own tags (!ENV, !relative) are inert here.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return  # MkDocs has reported it
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.value:
                line = Location(shown, node.start_mark.line + 1)
                value = str(node.value)
                yield Text("a value in the site's configuration", line, value)
                if as_shown(value) != value:  # a copyright line in HTML, say
                    what = "a value in the site's configuration (as shown)"
                    yield Text(what, line, as_shown(value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))


def _read_text(path: Path) -> str | None:
    """A text file as UTF-8, or (a CSV saved by Excel, say) as Latin-1,
    which decodes any byte; None when it cannot be read here (the last
    gate reads what is published of it)."""
    try:
        if path.stat().st_size > _MAX_SCANNED_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# -- the scan ---------------------------------------------------------------------


def scan(
    texts: Iterable[Text],
    deny: DenyList | None,
    problems: Problems,
    *,
    strict: bool,
    memo: ScanMemo | None = None,
) -> ScanResult:
    """Record every deny-list hit (an error) and pattern (an error in strict
    mode, a warning otherwise), without ever quoting what was found
    (``memo``: what texts were found to hold in the last build, under serve)."""
    result = ScanResult()
    if memo is not None:
        memo.start_scan(deny)
    for item in texts:
        named, patterns = (memo.look_in if memo is not None else look_in)(item.text, deny)
        if deny is not None:
            for match in named:
                problems.extend([deny_problem(_at(item, match.line), item.what, match, deny)])
        shown = fold_for_patterns(item.text) if patterns else ""
        for found in patterns:
            where = _at(item, shown.count("\n", 0, found.offset) + 1)
            if item.scope is not None:
                result.scoped.setdefault(item.scope, set()).add(exact_key(found.text))
                # Web addresses are not noted: the gate does not look for them
                # in what is published (they are every page's links).
                if item.noted and found.kind.name != "url":
                    note = Problem(
                        where,
                        f"{item.what} holds what looks like {found.kind.description}; the PDF "
                        "is published as it is, so check by hand that it identifies no one",
                    )
                    if note not in result.notes:
                        result.notes.append(note)
                continue
            if not item.patterns or found.kind.name in item.allowed:
                result.approved |= approval_keys(found.text)
                continue
            problem = Problem(where, _advice(item, found.kind.name, found.kind.description))
            if strict:
                problems.extend([problem])
            else:
                # A build that is not strict publishes what it warns about
                # (at its file and line); the last gate does not stop it again.
                problems.warning(problem.location, problem.message)
                result.approved |= approval_keys(found.text)
    return result


def _advice(item: Text, kind: str, description: str) -> str:
    message = (
        f"{item.what} holds what looks like {description}; redact it "
        f"(for example [redacted: {kind}])"
    )
    if item.can_allow:
        message += (
            f", or once a person has checked it is not identifying, add 'allow: [{kind}]' "
            "to the excerpt"
        )
    return message


def author_conflicts(study: Study, deny: DenyList, problems: Problems) -> None:
    """A deny-list entry found in an author's name: every page publishes the
    authors, so the output gate would stop every build. Said once, here,
    where it can be understood."""
    meta = study.meta
    named: list[tuple[Origin, str, tuple[Author, ...]]] = [
        (meta.origin, "authors", meta.authors),
        (meta.origin, "site_authors", meta.site_authors),
    ]
    if meta.publication is not None and "authors" in meta.publication.origin.field_lines:
        named.append((meta.publication.origin, "authors", meta.publication.authors))
    for origin, field_name, people in named:
        for index, author in enumerate(people):
            for match in deny.find(_full_name(author)):
                problems.error(
                    origin.at(field_name, index),
                    f"line {match.deny_line} of {deny.shown_path} is (part of) this author's "
                    "name, which every page of the site publishes; make that deny-list entry "
                    "more specific (a participant's full name, say) so that it no longer "
                    "matches the author",
                )


def _full_name(author: Author) -> str:
    return " ".join(p for p in (author.name, author.given, author.family) if p)


def _at(item: Text, line: int) -> Location:
    if not item.line_by_line:
        return item.location
    return Location(item.location.path, line)


__all__ = [
    "Problem",
    "ScanResult",
    "Text",
    "author_conflicts",
    "config_texts",
    "content_texts",
    "scan",
    "study_texts",
    "template_texts",
]

"""Where the confidentiality guard looks: every text of the published study,
and the study's own pages.

The deny-list is checked everywhere except the authors' names (published by
design). The patterns are checked where participants' words and details
live: excerpts, participants and memos; pages and definitions legitimately
hold web addresses and the researchers' own contact details.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..content import ContentFile
from ..errors import Location, Problem, Problems, display_path
from ..fields import Origin
from ..study.model import Study
from .denylist import DenyList, deny_problem
from .patterns import find_patterns


@dataclass(frozen=True, slots=True)
class Text:
    """One text to scan: what it is (for the message), where, and the text."""

    what: str
    location: Location
    text: str
    patterns: bool = False  # also scan for personal-data patterns
    allowed: frozenset[str] = frozenset()
    line_by_line: bool = False  # report the line of the match (pages)


def study_texts(study: Study) -> Iterator[Text]:
    meta = study.meta
    for name in ("title", "subtitle", "methodology", "ethics", "abstract", "citation", "licence"):
        value = getattr(meta, name)
        if value:
            yield Text(f"the study's {name}", meta.origin.at(name), value)
    for kind, label in meta.excerpt_labels.items():
        yield Text(f"the label of {kind} excerpts", meta.origin.at("excerpt_labels"), label)
    for participant in study.participants:
        what = f"participant '{participant.id}'"
        yield Text(f"{what}: the label", participant.origin.at("label"), participant.label, True)
        for name, value in participant.attributes.items():
            where = participant.origin.at("attributes")
            yield Text(f"{what}: attribute '{name}'", where, f"{name} {value}", True)
    for category in study.categories:
        what = f"category '{category.id}'"
        yield Text(f"{what}: the name", category.origin.at("name"), category.name)
        for name in ("level", "definition"):
            value = getattr(category, name)
            if value:
                yield Text(f"{what}: the {name}", category.origin.at(name), value)
        for index, memo in enumerate(category.memos):
            where = category.origin.at("memo", index if len(category.memos) > 1 else None)
            yield Text(f"{what}: a memo", where, memo, True)
    for excerpt in study.excerpts:
        what = f"excerpt '{excerpt.id}'"
        allowed = frozenset(excerpt.allow)
        yield Text(f"{what}: the text", excerpt.origin.at("text"), excerpt.text, True, allowed)
        if excerpt.source is not None:
            described = excerpt.source.describe()
            yield Text(f"{what}: the source", excerpt.origin.at("source"), described, True, allowed)
    for table in study.tables:
        what = f"Table {table.number}"
        yield Text(f"{what}: the title", table.origin.at("title"), table.title)
        if table.caption:
            yield Text(f"{what}: the caption", table.origin.at("caption"), table.caption)
        for column in table.columns:
            if column.heading:
                yield Text(f"{what}: a heading", table.origin.at("columns"), column.heading)
    yield from _model_texts(study)


def _model_texts(study: Study) -> Iterator[Text]:
    model = study.model
    if model is None:
        return
    what = f"Figure {model.number}"
    yield Text(f"{what}: the title", model.origin.at("title"), model.title)
    if model.caption:
        yield Text(f"{what}: the caption", model.origin.at("caption"), model.caption)
    labelled: Sequence[tuple[str | None, Origin]] = [
        *((g.label, g.origin) for g in model.groups),
        *((n.label, n.origin) for n in model.nodes),
        *((e.label, e.origin) for e in model.edges),
    ]
    for label, origin in labelled:
        if label:
            yield Text(f"{what}: a label", origin.at("label"), label)


def page_texts(content: Sequence[ContentFile]) -> Iterator[Text]:
    for page in content:
        if not page.is_page:
            continue
        try:
            text = page.path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the embed check has reported it
        yield Text("the page", Location(display_path(page.path), 1), text, line_by_line=True)


def scan(texts: Iterator[Text], deny: DenyList | None, problems: Problems, *, strict: bool) -> None:
    """Record every deny-list hit (an error) and pattern (an error in strict
    mode, a warning otherwise), without ever quoting what was found."""
    for item in texts:
        if deny is not None:
            for match in deny.find(item.text):
                problems.extend([deny_problem(_at(item, match.offset), item.what, match, deny)])
        if not item.patterns:
            continue
        for found in find_patterns(item.text, item.allowed):
            message = (
                f"{item.what} holds what looks like {found.kind.description}; redact it "
                f"(for example [redacted: {found.kind.name}]), or once a person has checked "
                f"it is not identifying, add 'allow: [{found.kind.name}]' to the excerpt"
            )
            problem = Problem(_at(item, found.offset), message)
            if strict:
                problems.extend([problem])
            else:
                problems.warning(problem.location, problem.message)


def _at(item: Text, offset: int) -> Location:
    if not item.line_by_line:
        return item.location
    return Location(item.location.path, item.text.count("\n", 0, offset) + 1)


__all__ = ["Problem", "Text", "page_texts", "scan", "study_texts"]

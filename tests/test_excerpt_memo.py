"""Under ``mkdocs serve`` a rebuild draws again only the excerpts a save
changed (:mod:`qualsite.render.excerpt_memo`), and gives the pages a build
from scratch would.

The end-to-end half (every file of a rebuild against a build from scratch,
after each kind of save) is in test_serve_cache.py; here are the key, the
memo's lifetime, and what it leaves alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import nodes
from markupsafe import Markup

from helpers import REPO, write_study
from qualsite import site as site_module
from qualsite.render.excerpt_memo import (
    CELL_MACROS,
    MACROS,
    READ_BY_THE_CELL_MACROS,
    READ_BY_THE_MACRO,
    ExcerptMemo,
    cell_key,
    excerpt_key,
)
from qualsite.render.pages import ExcerptView
from qualsite.render.urls import PageLinks
from qualsite.site import PreparedSite, SiteSettings, prepare_site

# -- the key holds everything the macro reads ---------------------------------------


def _dotted(node: nodes.Node) -> str | None:
    """``x.kind.value`` for the attribute lookups of a name; None for anything else."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _dotted(node.node)
        return f"{inner}.{node.attr}" if inner is not None else None
    return None


def _macro(template: str, name: str) -> nodes.Macro:
    source = (REPO / "site_templates" / template).read_text(encoding="utf-8")
    parsed = jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(source)
    return next(m for m in parsed.find_all(nodes.Macro) if m.name == name)


def _read_by(*macros: nodes.Macro) -> tuple[set[str], set[str]]:
    """What the macros read: each whole attribute lookup (``x.kind.value``),
    and each name."""
    lookups: set[str] = set()
    names: set[str] = set()
    for macro in macros:
        inner = {id(n.node) for n in macro.find_all(nodes.Getattr)}
        lookups |= {
            dotted
            for node in macro.find_all(nodes.Getattr)
            if id(node) not in inner  # the whole lookup, not a part of it
            for dotted in [_dotted(node)]
            if dotted is not None and not dotted.startswith("loop.")
        }
        names |= {n.name for n in macro.find_all(nodes.Name) if n.ctx == "load"}
    return lookups, names


def test_the_key_holds_everything_the_excerpt_macro_reads() -> None:
    lookups, names = _read_by(_macro(MACROS, "excerpt"))
    assert lookups == READ_BY_THE_MACRO
    # Nor does it read any other name than its own (the view, the excerpt,
    # each category it is coded to, what it sets) and the translations.
    assert names <= {"view", "x", "ref", "loop", "categories", "whose", "_", "pgettext"}


def test_the_key_holds_everything_the_cell_macros_read() -> None:
    lookups, names = _read_by(
        _macro(CELL_MACROS, "cell_section"), _macro(CELL_MACROS, "excerpt_item")
    )
    assert lookups == READ_BY_THE_CELL_MACROS
    # Their own names (the section, its kind, each item, its excerpt, each
    # category it is also coded to, what they set), the one calling the
    # other, and the translations.
    assert names <= {"section", "kind", "row", "item", "x", "ref", "loop", "excerpt_item", "_"}


@pytest.fixture
def prepared(tmp_path: Path) -> PreparedSite:
    root = write_study(tmp_path / "study")
    return prepare_site(SiteSettings(root / "codebook", root / "site_templates", root / "content"))


def _a_view(prepared: PreparedSite) -> ExcerptView:
    renderer = prepared.renderer
    excerpt = prepared.published.excerpts_by_id["p1-supervision"]
    links = PageLinks(renderer.urls, "categories/supervision.md")
    view = renderer.excerpt_view(excerpt, links, prepared.published.category("supervision"))
    assert view.coded_to and view.source == ""
    return view


def _changes(view: ExcerptView) -> dict[str, ExcerptView]:
    """The view with each thing the macro reads of it changed, by what changed."""
    excerpt, ref = view.excerpt, view.coded_to[0]
    renamed = dataclasses.replace(ref.category, name="Another name")
    return {
        "view.excerpt": dataclasses.replace(view, excerpt=dataclasses.replace(excerpt, id="p9")),
        "view.participant_label": dataclasses.replace(view, participant_label="P9"),
        "view.participant_url": dataclasses.replace(view, participant_url="../p9/"),
        "view.kind_label": dataclasses.replace(view, kind_label="Paraphrase"),
        "view.source": dataclasses.replace(view, source="line 4"),
        "view.coded_to": dataclasses.replace(view, coded_to=()),
        "view.coded_to_label": dataclasses.replace(view, coded_to_label="Also:"),
        "view.permalink": dataclasses.replace(view, permalink="#elsewhere"),
        "x.kind.value": dataclasses.replace(
            view, excerpt=dataclasses.replace(excerpt, kind=type(excerpt.kind)("paraphrase"))
        ),
        "x.anchor": dataclasses.replace(view, excerpt=dataclasses.replace(excerpt, id="p1-x")),
        "x.text": dataclasses.replace(
            view, excerpt=dataclasses.replace(excerpt, text="Other words.")
        ),
        "ref.url": dataclasses.replace(
            view, coded_to=(dataclasses.replace(ref, url="../elsewhere/"),)
        ),
        "ref.category.name": dataclasses.replace(
            view, coded_to=(dataclasses.replace(ref, category=renamed),)
        ),
    }


def test_the_key_changes_with_each_thing_the_macro_reads(prepared: PreparedSite) -> None:
    view = _a_view(prepared)
    changes = _changes(view)
    assert changes.keys() == READ_BY_THE_MACRO
    draw = prepared.renderer.draw_excerpt
    for read, changed in changes.items():
        assert excerpt_key(changed) != excerpt_key(view), read
    # Each such change is one the reader sees (so the list is not longer
    # than it need be, and the drawing below is the macro's own).
    shown = {read: draw(changed) for read, changed in changes.items()}
    assert all(html != draw(view) for html in shown.values()), [
        read for read, html in shown.items() if html == draw(view)
    ]


def _a_section(prepared: PreparedSite) -> tuple[Any, Any]:
    """A cell's section of the participant matrix, with an excerpt coded to
    two categories; and the matrices' pages."""
    matrices = prepared.renderer.matrices
    assert matrices is not None
    links = PageLinks(matrices.urls, "matrices/participant-excerpts/1.md")
    sections = [
        matrices._section_view(links, section)
        for page in matrices._participant_sections.pages
        for section in page
    ]
    section = next(s for s in sections if any(item.coded_to for item in s.items))
    return section, matrices


def _cell_changes(section: Any) -> dict[str, Any]:
    """The section with each thing the cell macros read of it changed."""
    item = next(item for item in section.items if item.coded_to)
    ref = item.coded_to[0]

    def with_item(**changes: Any) -> Any:
        changed = dataclasses.replace(item, **changes)
        return dataclasses.replace(
            section, items=tuple(changed if i is item else i for i in section.items)
        )

    excerpt = item.excerpt
    paraphrase = dataclasses.replace(excerpt, kind=type(excerpt.kind)("paraphrase"))
    renamed = dataclasses.replace(ref.category, name="Another name")
    return {
        "section.anchor": dataclasses.replace(section, anchor="elsewhere"),
        "section.row.name": dataclasses.replace(
            section, row=dataclasses.replace(section.row, name="Another row")
        ),
        "section.heading": dataclasses.replace(section, heading="P9"),
        "section.heading_url": dataclasses.replace(section, heading_url="../p9/"),
        "section.items": dataclasses.replace(section, items=section.items[:-1] or ()),
        "item.excerpt": with_item(excerpt=dataclasses.replace(excerpt, text="Other words.")),
        "item.excerpt.kind.value": with_item(excerpt=paraphrase),
        "item.participant_label": with_item(participant_label="P9"),
        "item.kind_label": with_item(kind_label="Paraphrase"),
        "item.source": with_item(source="line 4"),
        "item.coded_to": with_item(coded_to=()),
        "item.in_context": with_item(in_context="../elsewhere/#x"),
        # (listed by their first words when the first item has a preview)
        "item.preview": dataclasses.replace(
            section,
            items=tuple(dataclasses.replace(i, preview="Other words …") for i in section.items),
        ),
        "x.kind.value": with_item(excerpt=paraphrase),
        "x.text": with_item(excerpt=dataclasses.replace(excerpt, text="Other words.")),
        "ref.url": with_item(coded_to=(dataclasses.replace(ref, url="../elsewhere/"),)),
        "ref.category.name": with_item(coded_to=(dataclasses.replace(ref, category=renamed),)),
    }


def test_a_cells_key_changes_with_each_thing_its_macros_read(prepared: PreparedSite) -> None:
    section, matrices = _a_section(prepared)
    changes = _cell_changes(section)
    assert changes.keys() == READ_BY_THE_CELL_MACROS
    for kind in ("participants", "co-occurrence"):
        drawn = matrices.draw_cell_section(section, kind)
        for read, changed in changes.items():
            assert cell_key(changed, kind) != cell_key(section, kind), read
            assert matrices.draw_cell_section(changed, kind) != drawn, read
    assert cell_key(section, "participants") != cell_key(section, "co-occurrence")


# -- the memo's lifetime ----------------------------------------------------------------


def test_a_memo_keeps_only_the_last_builds_excerpts_and_only_in_the_same_context() -> None:
    memo = ExcerptMemo()
    drawn: list[str] = []

    def draw(view: ExcerptView) -> Markup:
        drawn.append(view.participant_label)
        return Markup(f"<p>{view.participant_label}</p>")

    def view(label: str) -> ExcerptView:
        return _FakeView(label)  # type: ignore[return-value]

    memo.start("en")
    memo.html(view("A"), draw)
    memo.html(view("B"), draw)
    memo.html(view("A"), draw)  # drawn once per build
    assert drawn == ["A", "B"]
    memo.start("en")
    assert memo.html(view("A"), draw) == Markup("<p>A</p>")
    assert drawn == ["A", "B"]  # kept
    memo.start("en")
    memo.html(view("B"), draw)
    assert drawn == ["A", "B", "B"]  # not used by the last build: gone
    memo.start("de")
    memo.html(view("A"), draw)
    assert drawn == ["A", "B", "B", "A"]  # another context keeps nothing
    assert len(memo) == 1


@dataclasses.dataclass(frozen=True)
class _FakeExcerpt:
    kind: object = dataclasses.field(default_factory=lambda: _FakeKind())
    anchor: str = "e"
    text: str = "t"


@dataclasses.dataclass(frozen=True)
class _FakeKind:
    value: str = "verbatim"


@dataclasses.dataclass(frozen=True)
class _FakeView:
    participant_label: str
    excerpt: _FakeExcerpt = dataclasses.field(default_factory=_FakeExcerpt)
    participant_url: str | None = None
    kind_label: str = ""
    source: str = ""
    coded_to_label: str = ""
    coded_to: tuple[object, ...] = ()
    permalink: str = "#e"


# -- a preview's builds ------------------------------------------------------------------


@pytest.fixture
def memo(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A fresh preview memo; yields the ids of the excerpts it has drawn."""
    drawn: list[str] = []
    fresh = ExcerptMemo()
    html = ExcerptMemo.html

    def counting(self: ExcerptMemo, view: ExcerptView, draw: Callable[..., Markup]) -> Markup:
        def counted(v: ExcerptView) -> Markup:
            drawn.append(v.excerpt.id)
            return draw(v)

        return html(self, view, counted)

    monkeypatch.setattr(ExcerptMemo, "html", counting)
    monkeypatch.setattr(site_module, "PREVIEW_MEMO", fresh)
    yield drawn


def _preview(root: Path, **settings: object) -> PreparedSite:
    return prepare_site(
        SiteSettings(
            root / "codebook",
            root / "site_templates",
            root / "content",
            previewing=True,
            **settings,
        )
    )


def _markdown(prepared: PreparedSite) -> str:
    return "\n".join(page.markdown for page in prepared.pages)


def test_a_preview_draws_again_only_the_excerpt_a_save_changed(
    tmp_path: Path, memo: list[str]
) -> None:
    root = write_study(tmp_path / "study")
    _preview(root)
    assert set(memo) == {"p1-peers", "p1-supervision", "p2-supervision"}
    memo.clear()
    excerpts = root / "codebook/excerpts/p2.yml"
    excerpts.write_text(excerpts.read_text().replace("the hard cases", "the hardest cases"))
    again = _preview(root)
    assert set(memo) == {"p2-supervision"}
    assert "I bring the hardest cases to supervision." in _markdown(again)
    assert "the hard cases" not in _markdown(again)


def test_a_withdrawal_in_a_preview_leaves_no_word_of_it_on_any_page(
    tmp_path: Path, memo: list[str]
) -> None:
    root = write_study(tmp_path / "study")
    assert "My colleagues get me through the week." in _markdown(_preview(root))
    participants = root / "codebook/participants.yml"
    participants.write_text(
        participants.read_text().replace(
            "label: Participant 1\n", "label: Participant 1\n    withdrawn: true\n"
        )
    )
    memo.clear()
    after = _markdown(_preview(root))
    assert "My colleagues get me through the week." not in after
    assert "Supervision and the team both help." not in after
    assert "I bring the hard cases to supervision." in after
    assert memo == []  # the others' HTML was kept, and theirs was never asked for


def test_a_build_that_is_no_preview_keeps_nothing(tmp_path: Path, memo: list[str]) -> None:
    root = write_study(tmp_path / "study")
    prepare_site(SiteSettings(root / "codebook", root / "site_templates", root / "content"))
    assert memo == [] and len(site_module.PREVIEW_MEMO) == 0


def test_a_studys_own_excerpt_macro_is_drawn_afresh_every_time(
    tmp_path: Path, memo: list[str]
) -> None:
    builtin = (REPO / "site_templates" / MACROS).read_text(encoding="utf-8")
    own = builtin.replace('<figure class="qs-excerpt ', '<figure data-own="yes" class="qs-excerpt ')
    assert own != builtin
    root = write_study(tmp_path / "study", {f"site_templates/{MACROS}": own})
    for _ in range(2):
        assert 'data-own="yes"' in _markdown(_preview(root))
    assert memo == [] and len(site_module.PREVIEW_MEMO) == 0


# -- templates compiled once per process -------------------------------------------------


def test_a_template_is_compiled_again_only_when_its_source_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each build makes a new Jinja environment; under mkdocs serve the
    # compiled templates are kept for the next, and used only for the same
    # source (a study's template edited between two saves is compiled anew).
    from qualsite.render.templates import make_environment

    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: Any = None, *a: Any, **k: Any) -> Any:
        compiled.append(str(name))
        return compile_(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    (tmp_path / "note.md.j2").write_text("First {{ word }}.\n", encoding="utf-8")
    first = make_environment([tmp_path]).get_template("note.md.j2").render(word="draft")
    again = make_environment([tmp_path]).get_template("note.md.j2").render(word="draft")
    assert first == again == "First draft.\n" and compiled.count("note.md.j2") == 1
    (tmp_path / "note.md.j2").write_text("Second {{ word }}.\n", encoding="utf-8")
    edited = make_environment([tmp_path]).get_template("note.md.j2").render(word="draft")
    assert edited == "Second draft.\n" and compiled.count("note.md.j2") == 2

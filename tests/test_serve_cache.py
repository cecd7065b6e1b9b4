"""`qualsite serve` renders again only what can have changed, and a
withdrawal or an unpublished excerpt is gone from everything the very next
rebuild serves: every page, the search index and every download.

The first half builds in this process, as ``qualsite serve`` does, and
compares each rebuild with a build from scratch of the same files, byte for
byte. The second half runs the real ``qualsite serve``, saves files as an
editor does and reads back everything the preview serves.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO, write_study
from qualsite.memo import BuildMemo
from qualsite.plugin import publishing
from test_serve import Server, answer, running, wait_for

URL = "http://127.0.0.1:8000/"

#: Participant 1's two excerpts in the small study (helpers.MINIMAL_STUDY).
P1_WORDS = ("My colleagues get me through the week.", "Supervision and the team both help.")
#: Participant 2's only excerpt.
P2_WORDS = "I bring the hard cases to supervision."

#: A table whose rows show excerpts, so that its CSV, Word and LaTeX
#: downloads hold excerpts' words.
TABLES = """\
    tables:
      - number: 1
        title: Coping
        subtree: coping
        columns: [category, excerpt, participants]
    """


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def save(path: Path, text: str) -> None:
    """Write a file as an editor saves it: a new file put in its place at
    once (written beside the study, where the server does not look, so that
    no build sees the study half-saved)."""
    study = next(folder for folder in path.parents if (folder / "mkdocs.yml").is_file())
    draft = study.parent / f"{path.name}.saving"
    draft.write_text(text, encoding="utf-8")
    os.replace(draft, path)


def withdraw_p1(root: Path) -> None:
    participants = root / "codebook/participants.yml"
    text = participants.read_text()
    assert "label: Participant 1\n" in text
    save(
        participants,
        text.replace("label: Participant 1\n", "label: Participant 1\n    withdrawn: true\n"),
    )


def unpublish_p2(root: Path) -> None:
    excerpts = root / "codebook/excerpts/p2.yml"
    text = excerpts.read_text()
    save(excerpts, text.replace("    text: I bring", "    publish: false\n    text: I bring"))


# -- in this process: each rebuild is what a fresh build makes -------------------


class Preview:
    """Builds of one study as ``qualsite serve`` makes them, in this process."""

    def __init__(self, root: Path, work: Path) -> None:
        from mkdocs.config import load_config

        from qualsite.plugin.rebuild_cache import RebuildCache

        self.root = root
        self.site = work / "preview"
        (work / "kept").mkdir()
        self.cache = RebuildCache(work / "kept")
        self.fresh = work / "fresh"
        startup = load_config(str(root / "mkdocs.yml"))
        startup.plugins.on_startup(command="serve", dirty=False)

    def build(self) -> None:
        from mkdocs.config import load_config

        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = URL
        self.cache.build(config, serve_url=URL)

    @property
    def session(self) -> object:
        return self.cache.session

    def built_from_scratch(self) -> dict[str, bytes]:
        """The site as MkDocs' own build makes it for ``mkdocs serve``, with
        nothing kept from an earlier build (the excerpts' HTML included)."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.fresh))
        config.site_url = URL
        with nothing_kept():
            build(config, serve_url=URL)
        return tree(self.fresh)


@contextmanager
def nothing_kept() -> Iterator[None]:
    """Builds in this block start from nothing a build before kept: no
    parse, no record, no drawn excerpt or cell, no scanned text, no search
    entry (and what the previews kept is theirs again after it)."""
    from qualsite import site
    from qualsite.guard.scan_memo import ScanMemo
    from qualsite.plugin import hooks
    from qualsite.render.excerpt_memo import CellMemo, ExcerptMemo
    from qualsite.yaml_source import remember_parses

    memos = {
        (site, "PREVIEW_MEMO"): ExcerptMemo(),
        (site, "PREVIEW_CELLS"): CellMemo(),
        (site, "PREVIEW_SCANS"): ScanMemo(),
        (hooks, "PREVIEW_ENTRIES"): BuildMemo(),
    }
    kept = {place: getattr(*place) for place in memos}
    for (module, name), fresh in memos.items():
        setattr(module, name, fresh)
    remember_parses(False)  # forgets every parse and record kept
    try:
        yield
    finally:
        remember_parses(True)
        for (module, name), memo in kept.items():
            setattr(module, name, memo)


@pytest.fixture
def preview_of() -> Iterator[Callable[[Path, Path], Preview]]:
    made: list[Preview] = []

    def make(root: Path, work: Path) -> Preview:
        made.append(Preview(root, work))
        return made[-1]

    yield make
    if made:
        # MkDocs keeps one plugin object per process: leave it as a build finds it.
        from mkdocs.config import load_config

        load_config(str(made[0].root / "mkdocs.yml")).plugins.on_startup(
            command="build", dirty=False
        )


def _edit_excerpt(root: Path) -> None:
    path = root / "codebook/excerpts/p02.yml"
    text = path.read_text()
    match = re.search(r"\n    text: >\n((?:      .*\n)+)", text)
    assert match, text
    save(
        path,
        text.replace(match[1], match[1] + "      One more sentence, saved in the preview.\n", 1),
    )


def _withdraw_example_participant(root: Path) -> None:
    path = root / "codebook/participants.yml"
    save(
        path,
        path.read_text().replace(
            "label: Participant 3\n", "label: Participant 3\n    withdrawn: true\n"
        ),
    )


def _unpublish_example_excerpt(root: Path) -> None:
    path = root / "codebook/excerpts/p02.yml"
    text = path.read_text()
    save(path, text.replace("    text: >\n", "    publish: false\n    text: >\n", 1))


def _edit_page(root: Path) -> None:
    path = root / "content/method.md"
    save(path, path.read_text() + "\nA paragraph added in the preview.\n")


def _rename_category(root: Path) -> None:
    path = root / "codebook/categories.yml"
    text = path.read_text()
    match = re.search(r"\n    name: (.+)\n", text)
    assert match, text
    save(path, text.replace(match[0], f"\n    name: Renamed {match[1]}\n", 1))


def _override_template(root: Path) -> None:
    templates = root / "site_templates"
    templates.mkdir(exist_ok=True)
    builtin = (REPO / "site_templates/cite.md.j2").read_text()
    save(templates / "cite.md.j2", builtin + "\nA line of the study's own template.\n")


def _override_excerpt_macro(root: Path) -> None:
    # A study's own excerpt macro, which prints what qualsite's does not.
    templates = root / "site_templates"
    templates.mkdir(exist_ok=True)
    builtin = (REPO / "site_templates/macros.html.j2").read_text()
    own = builtin.replace(
        '<figcaption class="qs-excerpt__caption">\n',
        '<figcaption class="qs-excerpt__caption">\n<span>{{ x.id }}</span>\n',
        1,
    )
    assert own != builtin
    save(templates / "macros.html.j2", own)


def _reword_a_message(root: Path) -> None:
    # The study's own catalogue rewords what each excerpt's permalink says.
    folder = root / "translations"
    folder.mkdir(exist_ok=True)
    save(
        folder / "en.po",
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: en\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Link to this excerpt"\nmsgstr "A link to this very excerpt"\n',
    )


def _change_settings(root: Path) -> None:
    path = root / "mkdocs.yml"
    save(path, path.read_text() + "extra:\n  generator: false\n")


CHANGES: dict[str, Callable[[Path], None]] = {
    "nothing": lambda root: None,
    "an excerpt's text": _edit_excerpt,
    "a participant withdrawn": _withdraw_example_participant,
    "an excerpt not published": _unpublish_example_excerpt,
    "a page of the user's": _edit_page,
    "a category's name (the navigation)": _rename_category,
    "a template override": _override_template,
    "the excerpt macro overridden": _override_excerpt_macro,
    "a message reworded by the study's catalogue": _reword_a_message,
    "mkdocs.yml": _change_settings,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_rebuild_makes_the_same_site_as_a_build_from_scratch(
    change: str,
    example_copy: Path,
    tmp_path: Path,
    preview_of: Callable[[Path, Path], Preview],
) -> None:
    preview = preview_of(example_copy, tmp_path)
    preview.build()
    CHANGES[change](example_copy)
    preview.build()
    rebuilt = tree(preview.site)
    fresh = preview.built_from_scratch()
    assert sorted(rebuilt) == sorted(fresh)
    assert [path for path in rebuilt if rebuilt[path] != fresh[path]] == []


def test_an_unchanged_study_reuses_every_page_and_every_verdict(
    example_copy: Path, tmp_path: Path, preview_of: Callable[[Path, Path], Preview]
) -> None:
    from qualsite.plugin.rebuild_cache import RebuildSession

    preview = preview_of(example_copy, tmp_path)
    preview.build()
    first = preview.cache.session
    assert isinstance(first, RebuildSession) and first.enabled
    assert first.written_reused == 0 and first.written > 30

    preview.build()
    second = preview.cache.session
    assert isinstance(second, RebuildSession)
    assert (second.written, second.written_reused) == (0, first.written)
    assert (second.rendered, second.rendered_reused) == (0, first.rendered)
    assert second.gate_skipped > first.written  # every page and most downloads

    _edit_excerpt(example_copy)
    preview.build()
    third = preview.cache.session
    assert isinstance(third, RebuildSession)
    # The pages that show the excerpt (its categories', a matrix's, the
    # tables', the Print page), not the others.
    assert 0 < third.written < first.written // 2
    assert third.gate_skipped > 0  # what the gate looks for is unchanged


@pytest.mark.parametrize("hold_back", [withdraw_p1, unpublish_p2])
def test_holding_a_text_back_makes_the_gate_read_everything_again(
    hold_back: Callable[[Path], None],
    tmp_path: Path,
    preview_of: Callable[[Path, Path], Preview],
) -> None:
    from qualsite.plugin.rebuild_cache import RebuildSession

    root = write_study(tmp_path / "study")
    preview = preview_of(root, tmp_path)
    preview.build()
    preview.build()
    assert isinstance(preview.cache.session, RebuildSession)
    assert preview.cache.session.gate_skipped > 0
    hold_back(root)
    preview.build()
    assert isinstance(preview.cache.session, RebuildSession)
    assert preview.cache.session.gate_skipped == 0


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ("markdown_extensions:\n  - pymdownx.snippets\n", "pymdownx.snippets"),
        ("hooks:\n  - hooks.py\n", "hooks.py"),
    ],
)
def test_with_what_can_read_other_files_every_page_is_rendered(
    setting: str, reason: str, tmp_path: Path, preview_of: Callable[[Path, Path], Preview]
) -> None:
    from qualsite.plugin.rebuild_cache import RebuildSession, cache_refusal

    root = write_study(tmp_path / "study")
    (root / "hooks.py").write_text(
        "def on_page_markdown(markdown, **kwargs):\n    return markdown\n"
    )
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + setting)
    preview = preview_of(root, tmp_path)
    preview.build()
    preview.build()
    session = preview.cache.session
    assert isinstance(session, RebuildSession)
    assert not session.enabled
    assert session.written_reused == 0 and session.written > 0

    from mkdocs.config import load_config

    refusal = cache_refusal(load_config(str(root / "mkdocs.yml")))
    assert refusal is not None and reason in refusal


def test_a_name_a_save_puts_in_the_search_index_stops_a_rebuild_that_knew_the_rest(
    tmp_path: Path,
    preview_of: Callable[[Path, Path], Preview],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The search index of a rebuild is read in this process, where the units
    # of text the last build found clean are not read again: what is new is.
    from mkdocs.exceptions import Abort

    from qualsite.guard import gate

    deny = tmp_path / "deny-list.txt"
    deny.write_text("Oakwood\n", encoding="utf-8")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(deny))
    known: list[int] = []
    gate_paths = gate.gate_paths

    def recording(folder: Path, paths: Any, policy: Any, units: Any = None) -> Any:
        known.append(sum(map(len, units.known.values())) if units is not None else -1)
        return gate_paths(folder, paths, policy, units)

    monkeypatch.setattr(publishing, "gate_paths", recording)
    root = write_study(tmp_path / "study")
    preview = preview_of(root, tmp_path)
    preview.build()
    preview.build()
    assert known[-1] > 0  # the second build knew units clean
    # A template of the study's that writes the name on each category's page
    # (no file holds it whole, so only the gate can find it).
    templates = root / "site_templates"
    templates.mkdir(exist_ok=True)
    builtin = (REPO / "site_templates/category.md.j2").read_text()
    save(templates / "category.md.j2", builtin + "\nMet at Oak{{ 'wood' }}.\n")
    caplog.clear()
    with pytest.raises(Abort):
        preview.build()
    assert known[-1] > 0
    assert "search/search_index.json" in caplog.text
    assert not any(preview.site.rglob("*.html"))  # nothing served


def test_page_sources_are_written_only_where_a_plugin_may_read_them(
    tmp_path: Path, preview_of: Callable[[Path, Path], Preview], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other plugins may read a generated page's source file; qualsite's and
    # the search plugins do not, and a preview with only those keeps them
    # in memory (the site is the same: test_a_rebuild_makes_the_same_site...).
    from qualsite.plugin.page_sources import PageSources

    made: list[object] = []
    start = PageSources.__init__

    def record(sources: PageSources, parent: Path | None) -> None:
        made.append(parent)
        start(sources, parent)

    monkeypatch.setattr(PageSources, "__init__", record)
    root = write_study(tmp_path / "study")
    preview = preview_of(root, tmp_path)
    preview.build()
    assert made == [] and (preview.site / "categories/coping/index.html").is_file()
    (root / "hooks.py").write_text(
        "def on_page_markdown(markdown, **kwargs):\n    return markdown\n"
    )
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n")
    preview.build()
    assert len(made) == 1


# -- the real qualsite serve: nothing held back is served after the next save ------


@dataclass(frozen=True)
class Served:
    path: str
    texts: tuple[str, ...]  # the file's text, each archive member's on its own


def _texts(path: str, data: bytes) -> tuple[str, ...]:
    """What a served file says, as text: an archive's members one by one
    (Word, REFI-QDA), markup with its entities read, JSON decoded."""
    if zipfile.is_zipfile(BytesIO(data)):
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return tuple(
                text for name in archive.namelist() for text in _texts(name, archive.read(name))
            )
    text = data.decode("utf-8", errors="replace")
    found = [text, html.unescape(text), html.unescape(re.sub(r"<[^>]+>", "", text))]
    if path.endswith(".json"):
        found.append(json.dumps(json.loads(text), ensure_ascii=False))
    return tuple(" ".join(t.split()) for t in found)


def served_site(server: Server, preview_dir: Path) -> list[Served]:
    """Every file of the preview, as the server answers for it."""
    found = []
    for file in sorted(p for p in preview_dir.rglob("*") if p.is_file()):
        path = file.relative_to(preview_dir).as_posix()
        if path.startswith("assets/") and not path.startswith("assets/qualsite/"):
            continue  # the theme's own scripts and styles
        with urllib.request.urlopen(server.url + path, timeout=30) as response:
            assert response.status == 200, path
            found.append(Served(path, _texts(path, response.read())))
    return found


def holding(site: list[Served], words: str) -> list[str]:
    return [f.path for f in site if any(words in text for text in f.texts)]


def builds(server: Server) -> int:
    return len(re.findall(r"^INFO\s+-\s+Built in ", server.log, re.MULTILINE))


@pytest.fixture
def served_study(tmp_path: Path) -> Iterator[tuple[Server, Path, Path]]:
    """``qualsite serve`` on the small study with a table of excerpts; its
    preview's folder (made in a temporary folder of the test's)."""
    root = write_study(tmp_path / "study", {"codebook/tables.yml": TABLES})
    (root / "site_templates").mkdir()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with running(root, env={"TMPDIR": str(temporary)}) as server:
        wait_for(lambda: builds(server) == 1, "the first build")
        (preview,) = (p for p in temporary.glob("qualsite-preview-*") if "-cache-" not in p.name)
        yield server, root, preview


DOWNLOADS = ("downloads/excerpts-by-category.docx", "downloads/tables.docx", "downloads/tables.tex")


TABLE_DOWNLOADS = ("tables/table-1.csv", "downloads/tables.docx", "downloads/tables.tex")


@pytest.mark.parametrize(
    ("hold_back", "words", "in_tables", "label"),
    [
        # Participant 1's excerpts illustrate the table's two rows.
        (withdraw_p1, P1_WORDS, True, "Participant 1"),
        (unpublish_p2, (P2_WORDS,), False, None),
    ],
    ids=["a participant withdrawn", "an excerpt not published"],
)
def test_the_next_rebuild_serves_nothing_held_back(
    served_study: tuple[Server, Path, Path],
    hold_back: Callable[[Path], None],
    words: tuple[str, ...],
    in_tables: bool,
    label: str | None,
) -> None:
    server, root, preview = served_study
    before = served_site(server, preview)
    paths = {f.path for f in before}
    assert {"search/search_index.json", *DOWNLOADS, *TABLE_DOWNLOADS} <= paths
    assert {"downloads/codebook.qdc", "downloads/codebook.csv"} <= paths
    assert "matrices/participants-by-category.csv" in paths
    for text in words:
        shown = holding(before, text)
        # Before: on pages, in the search index and in the downloads.
        assert "search/search_index.json" in shown and "print/index.html" in shown, shown
        assert any(p.startswith("categories/") for p in shown), shown
        assert "downloads/excerpts-by-category.docx" in shown, shown
        if in_tables:
            assert set(TABLE_DOWNLOADS) <= set(shown), shown
    if label is not None:
        assert "matrices/participants-by-category.csv" in holding(before, label)

    built = builds(server)
    hold_back(root)
    wait_for(lambda: builds(server) > built, "the rebuild")
    assert builds(server) == built + 1, server.log  # the very next rebuild

    after = served_site(server, preview)
    assert {f.path for f in after} >= {"search/search_index.json", *DOWNLOADS, *TABLE_DOWNLOADS}
    for text in words:
        assert holding(after, text) == [], text
    if label is not None:
        assert holding(after, label) == []
    assert "Traceback" not in server.log


def test_a_save_that_changes_nothing_shown_renders_no_page_again(
    served_study: tuple[Server, Path, Path],
) -> None:
    server, root, preview = served_study
    pages = len(list(preview.rglob("*.html")))
    built = builds(server)
    excerpts = root / "codebook/excerpts/p2.yml"
    # A comment: the study, hence every page, is as it was.
    save(excerpts, "# Checked again.\n" + excerpts.read_text())
    wait_for(lambda: builds(server) > built, "the rebuild")
    found = re.findall(r"Rendered (\d+) of (\d+) pages again", server.log)
    assert found, server.log
    rendered, total = map(int, found[-1])
    assert (rendered, total) == (0, pages - 1)  # 404.html is a template, not a page

    # And a save that changes an excerpt renders the pages that show it.
    built = builds(server)
    save(excerpts, excerpts.read_text().replace("hard cases", "hardest cases"))
    wait_for(lambda: builds(server) > built, "the rebuild")
    rendered, total = map(int, re.findall(r"Rendered (\d+) of (\d+) pages again", server.log)[-1])
    assert 0 < rendered < total
    page = answer(server.url + "categories/supervision/")
    assert "I bring the hardest cases to supervision." in page.body
    search = answer(server.url + "search/search_index.json")
    assert "hardest cases" in search.body and "I bring the hard cases" not in search.body

"""Rebuilds under ``qualsite serve`` that render again only the pages whose
output can have changed.

Every save still runs the whole build: the study is loaded, checked and
published afresh, the generated pages and every download are made from it
afresh, and the output gate reads what the build wrote. What a rebuild may
skip is MkDocs' own work on each page, which is most of a build (a study of
10,000 excerpts: 8.6 s of 13.9 s, before this module): turning its Markdown
into HTML, and drawing it through the theme's template, whose navigation is
most of each page's bytes. Each step is kept under a key that hashes
everything it is made from, so that reusing it gives the bytes a fresh
render would:

- **HTML from Markdown** (``Page.render`` and the ``on_page_content``
  event): the Markdown as the plugins left it (a generated page's, made from
  the published study; a user's page with its embeds expanded), its front
  matter, source, address and title, the site's files and their addresses
  (which its links resolve against), the whole configuration, qualsite's
  draft notice, the theme's and qualsite's templates, the build date and
  the versions of qualsite, MkDocs, Material and Python;
- **the page as written** (the theme's template and ``on_post_page``): all
  of that, and the page's HTML as ``on_env`` left it (which is how the Print
  page is filled in), its table of contents, its addresses and date, and
  the whole navigation: every page's title, address, front matter and
  place, which every page's sidebar and previous/next links show.

The theme's own templates (``404.html``, the sitemap) are kept the same way,
under the navigation and every page's address and date; and each part of
the Print page, under its Markdown.

A key equal to one that the last successful build used gives back what that
build made; any other is rendered afresh. Only the last successful build's
entries are kept (a failed build leaves them as they were; an unexpected
error empties the cache). The pages are kept as files, which a rebuild links
into the new site.

The keys are only complete when a page is made from its inputs alone, so
the cache is used only with the plugins qualsite knows (itself and the
search plugins) and with Markdown extensions that read nothing but the
page (Python-Markdown's own, PyMdown's but Snippets and B64, Material's);
with anything else in ``mkdocs.yml`` every page is rendered on every build,
as before.

Around the pages:

- **Search.** The search plugin indexes the pages it sees rendered. Once it
  has written its index (``on_post_build``), the entries of each reused page
  are put back in the index at the page's place, as the same HTML gave them
  in the last build; qualsite then shapes the index as on any build, adding
  one entry per excerpt from the published study.
- **The output gate** reads every file of the site except those that are
  byte for byte (by BLAKE2b digest) what it read and found clean in the last
  successful build, under the same policy: the same deny-list, the same
  held-back texts, the same approved findings (:func:`policy_key`). A file's
  name and whether it copies a codebook file are checked on every build.

qualsite's own work before MkDocs' is kept the same way, each piece in
memory, in this process, under a key that holds what it is made from, and
only until the build after next: each codebook file's parse and, for an
excerpts file, the records read from it (by the file's bytes,
:mod:`qualsite.study.loader`); what each of the study's texts holds (by
the text and the deny-list, :mod:`qualsite.guard.scan_memo`); the HTML of
each excerpt and of each matrix cell (by everything their macros read,
:mod:`qualsite.render.excerpt_memo`); each excerpt's search entry; the
compiled templates (by their source); and the units of text the gate in
this process found clean (by the gate's policy, :class:`.gate.CleanUnits`).
Between saves the next build's worker is started and reads the codebook
(:func:`qualsite.guard.worker.keep_spare_worker`).

Why this cannot publish a withdrawn participant's words, or an excerpt
marked ``publish: false``: nothing a page is made from is taken from the
cache but under a key made from this build's published study. The
published study is made again on every build, and from it every generated
page's Markdown, every embed, the search entries of the excerpts and every
download; a piece kept from the last build is used only where this build
asks for one with the same key, and a held-back excerpt is never asked for.
A page that showed the words now has other Markdown (or other HTML, or
another navigation), hence another key, and is rendered again; a page is
reused only if everything it would be rendered from is what it was
rendered from. And the gate's policy holds the words of every held-back
text: a withdrawal or ``publish: false`` adds them, the policy changes, and
the gate reads the whole site again, every unit of text, as on a first
build, before the preview serves any of it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import shutil
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import mkdocs
from mkdocs import utils
from mkdocs.commands.build import (
    _build_extra_template,
    _build_theme_template,
    get_context,
)
from mkdocs.exceptions import Abort, BuildError
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.theme import Theme

from .. import __version__
from ..dates import build_date
from ..guard.gate import (
    CleanUnits,
    GatePolicy,
    GateReport,
    UnitReading,
    file_digest,
    policy_key,
)
from ..i18n.catalogues import shipped_folder
from ..render.search import SEARCH_INDEX
from ..render.templates import builtin_templates_dir

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .hooks import QualsitePlugin

log = logging.getLogger("mkdocs.qualsite.rebuild")
#: As MkDocs' own build logs ("Cleaning site directory", "Documentation built in ...").
build_log = logging.getLogger("mkdocs.commands.build")

#: Python-Markdown's own extensions, by the short names MkDocs accepts.
_MARKDOWN_BUILTINS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "extra",
        "fenced_code",
        "footnotes",
        "legacy_attrs",
        "legacy_em",
        "md_in_html",
        "meta",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
        "wikilinks",
    }
)
#: Packages whose Markdown extensions, and whose functions named in
#: mdx_configs (Material's emoji index, say), make HTML from the page alone.
_PURE_PACKAGES = (
    "markdown.",
    "pymdownx.",
    "material.",
    # qualsite's own, which hands its HTML blocks to Markdown as they are.
    "qualsite.plugin.prerendered_blocks.",
)
#: ... but for these, which put other files into the page.
_READING_EXTENSIONS = frozenset({"pymdownx.snippets", "pymdownx.b64"})


class Uncacheable(Exception):
    """The configuration holds something whose effect on a page the keys
    cannot capture; the build renders every page."""


def cache_refusal(config: MkDocsConfig) -> str | None:
    """Why this configuration's builds must render every page, if they must."""
    from .hooks import QualsitePlugin

    allowed: list[type[Any]] = [QualsitePlugin]
    try:
        from mkdocs.contrib.search import SearchPlugin as MkDocsSearch

        allowed.append(MkDocsSearch)
    except ImportError:  # pragma: no cover - MkDocs ships it
        pass
    try:
        from material.plugins.search.plugin import (  # type: ignore[import-untyped]
            SearchPlugin as MaterialSearch,
        )

        allowed.append(MaterialSearch)
    except ImportError:  # pragma: no cover - a dependency of qualsite
        pass
    for name, plugin in config.plugins.items():
        if type(plugin) not in allowed:
            return f"the plugin '{name}' may shape pages from more than their Markdown"
    for extension in config.markdown_extensions:
        if not _pure_extension(extension):
            shown = extension if isinstance(extension, str) else type(extension).__qualname__
            return f"the Markdown extension '{shown}' may put other files into a page"
    return None


def _pure_extension(extension: object) -> bool:
    if isinstance(extension, str):
        name = extension.split(":", 1)[0]
        if name in _MARKDOWN_BUILTINS:
            return True
        return name.startswith(_PURE_PACKAGES) and name not in _READING_EXTENSIONS
    module = type(extension).__module__
    return f"{module}.".startswith(_PURE_PACKAGES) and module not in _READING_EXTENSIONS


# -- what is kept ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Record:
    """A message logged while a page was made, to be logged again when it is
    reused (a warning about a link, say, which strict mode counts)."""

    logger: str
    level: int
    message: str


@dataclass(frozen=True)
class _Rendered:
    """A page's HTML, as ``Page.render`` and ``on_page_content`` left it."""

    content: str
    toc: TableOfContents
    title_from_render: str | None
    anchor_ids: frozenset[str]
    #: Links to anchors, by the linked file's source path (None: MkDocs did
    #: not collect them, as at debug level).
    links: Mapping[str, Mapping[str, str]] | None
    records: tuple[_Record, ...]


@dataclass
class _Written:
    """A page as written to the site."""

    #: Where the bytes are kept; None when the theme gave an empty page,
    #: which MkDocs does not write.
    stored: Path | None
    records: tuple[_Record, ...]
    #: The search plugin's entries for the page (None until the index is read).
    search: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class _Template:
    """A template of the theme's own, as written: each file it made (the
    sitemap is gzipped too), by its path in the site, where it is kept."""

    outputs: tuple[tuple[str, Path], ...]
    records: tuple[_Record, ...]


@dataclass
class _Verdicts:
    """The files the gate read and found clean, by output path, with each
    one's digest; valid under the policy of the same key only."""

    policy: bytes
    clean: dict[str, bytes]
    #: The units of text of each file this process's gate found clean
    #: (gate.CleanUnits).
    units: Mapping[str, Mapping[UnitReading, frozenset[int]]] = field(default_factory=dict)


@dataclass
class _Generation:
    rendered: dict[bytes, _Rendered] = field(default_factory=dict)
    #: Parts of the Print page, each as HTML with its table of contents.
    parts: dict[bytes, tuple[str, TableOfContents]] = field(default_factory=dict)
    #: The theme's own templates (404.html, sitemap.xml), as written.
    templates: dict[bytes, _Template] = field(default_factory=dict)
    written: dict[bytes, _Written] = field(default_factory=dict)
    verdicts: _Verdicts | None = None

    def stored_files(self) -> set[Path]:
        found = {w.stored for w in self.written.values() if w.stored is not None}
        found.update(stored for t in self.templates.values() for _, stored in t.outputs)
        return found


class RebuildCache:
    """What the last successful build of one ``qualsite serve`` made, for the
    next build to reuse. ``folder`` (made and removed by the caller) keeps
    the pages' bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.last = _Generation()
        #: The last build's session (for tests and the benchmark).
        self.session: RebuildSession | None = None

    def build(self, config: MkDocsConfig, *, serve_url: str) -> None:
        """Build the site as ``mkdocs serve`` does, reusing what can be reused.
        Raises as MkDocs' build does."""
        refusal = cache_refusal(config)
        if refusal is not None:
            log.debug(f"Every page is rendered: {refusal}.")
        plugin = _qualsite_plugin(config)
        session = RebuildSession(self, enabled=refusal is None, plugin=plugin)
        self.session = session
        if plugin is not None:
            plugin.rebuild = session
        try:
            build(config, serve_url=serve_url, session=session)
        except Abort:
            self._discard(session)  # the study's own problem: the last build stands
            raise
        except BaseException:
            # Not the study: the cache may be at fault, and is not trusted again.
            self._discard(session)
            self._forget()
            raise
        finally:
            # MkDocs keeps one plugin object for every build in a process: no
            # other build (``qualsite build`` in a test, say) may use this one's.
            if plugin is not None:
                plugin.rebuild = None
        self._commit(session)

    def _commit(self, session: RebuildSession) -> None:
        if not session.enabled:
            self._forget()
            return
        self.last = session.next
        kept = self.last.stored_files()
        for path in self.folder.iterdir():
            if path not in kept:
                path.unlink(missing_ok=True)

    def _discard(self, session: RebuildSession) -> None:
        for path in session.next.stored_files() - self.last.stored_files():
            path.unlink(missing_ok=True)

    def _forget(self) -> None:
        self.last = _Generation()
        for path in self.folder.iterdir():
            path.unlink(missing_ok=True)


def _qualsite_plugin(config: MkDocsConfig) -> QualsitePlugin | None:
    from .hooks import QualsitePlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, QualsitePlugin):
            return plugin
    return None


# -- one build -------------------------------------------------------------------


class RebuildSession:
    """One build's use of the cache: the keys, what was reused and what was
    made, and the search entries and gate verdicts to keep."""

    def __init__(
        self, cache: RebuildCache, *, enabled: bool, plugin: QualsitePlugin | None = None
    ) -> None:
        self.cache = cache
        self.enabled = enabled
        #: The site has no plugin or Markdown extension but those the cache
        #: knows, none of which reads a page's source file (whether or not
        #: the cache is used).
        self.no_source_readers = enabled
        self.plugin = plugin
        #: Folders of the site made so far (reused pages are copied into them).
        self._folders: set[Path] = set()
        self.next = _Generation()
        self._base = b""
        self._nav = b""
        #: Each page's key for its written output, by its address.
        self._page_keys: dict[str, bytes] = {}
        #: The addresses of the pages whose output was reused, in build order.
        self._reused: set[str] = set()
        self._order: list[str] = []
        #: Pages made (rendered / written) and reused, for the log and the tests.
        self.rendered = 0
        self.rendered_reused = 0
        self.written = 0
        self.written_reused = 0
        #: Files the gate did not read again (unchanged and found clean before).
        self.gate_skipped = 0

    # -- the keys --------------------------------------------------------------

    def start(self, config: MkDocsConfig, files: Files) -> None:
        """What every page of this build is made from: called once the files
        are known, before any page is read."""
        if not self.enabled:
            return
        plugin = _qualsite_plugin(config)
        try:
            parts: list[object] = [
                "qualsite rebuild 1",
                __version__,
                mkdocs.__version__,
                _package_version("mkdocs-material"),
                sys.version,
                build_date().isoformat(),
                utils.get_build_date(),
                logging.getLogger("mkdocs.structure.pages").getEffectiveLevel(),
                _canonical(dict(config.items()), "mkdocs.yml"),
                _files_state(files),
                _theme_state(config.theme),
                _templates_state(plugin),
                plugin.draft_banner if plugin is not None else None,
            ]
        except Uncacheable as reason:
            log.debug(f"Every page is rendered: {reason}.")
            self.enabled = False
            return
        self._base = _digest(parts)

    def content_key(self, page: Page) -> bytes | None:
        if not self.enabled:
            return None
        try:
            meta = _canonical(page.meta, "front matter")
        except Uncacheable:
            return None
        return _digest(
            [
                self._base,
                "content",
                page.file.src_uri,
                page.file.dest_uri,
                page.url,
                page.title,
                meta,
                page.markdown,
            ]
        )

    def navigation(self, nav: Navigation, pages: Sequence[File]) -> None:
        """What every page's navigation is made from: every page's title,
        address and front matter, in the order and nesting of the site."""
        if not self.enabled:
            return
        try:
            self._nav = _digest(
                [
                    _nav_state(nav.items),
                    nav.homepage.url if nav.homepage else None,
                    [_page_state(f.page) for f in pages if f.page is not None],
                ]
            )
        except Uncacheable as reason:
            log.debug(f"Every page is rendered: {reason}.")
            self.enabled = False

    def page_key(self, page: Page, *, excluded: bool) -> bytes | None:
        if not self.enabled:
            return None
        try:
            state = _page_state(page)
        except Uncacheable:
            return None
        return _digest(
            [
                self._base,
                self._nav,
                "page",
                state,
                excluded,
                page.abs_url,
                page.canonical_url,
                page.edit_url,
                page.update_date,
                page.is_homepage,
                _toc_state(page.toc),
                _neighbour(page.previous_page),
                _neighbour(page.next_page),
                page.content,
            ]
        )

    # -- step 1: HTML from Markdown --------------------------------------------

    def reuse_rendered(self, key: bytes | None, page: Page, files: Files) -> bool:
        entry = self.cache.last.rendered.get(key) if key is not None else None
        if entry is None or key is None:
            return False
        page.content = entry.content
        page.toc = copy.deepcopy(entry.toc)
        page._title_from_render = entry.title_from_render
        page.present_anchor_ids = set(entry.anchor_ids)
        if entry.links is not None:
            links: dict[File, dict[str, str]] = {}
            for src, anchors in entry.links.items():
                target = files.get_file_from_path(src)
                if target is not None:
                    links[target] = dict(anchors)
            page.links_to_anchors = links
        _replay(entry.records)
        self.next.rendered[key] = entry
        self.rendered_reused += 1
        return True

    def keep_rendered(self, key: bytes | None, page: Page, records: list[_Record]) -> None:
        self.rendered += 1
        if key is None or page.content is None:
            return
        links = page.links_to_anchors
        self.next.rendered[key] = _Rendered(
            content=page.content,
            toc=copy.deepcopy(page.toc),
            title_from_render=page._title_from_render,
            anchor_ids=frozenset(page.present_anchor_ids or ()),
            links=(
                None
                if links is None
                else {f.src_uri: dict(anchors) for f, anchors in links.items()}
            ),
            records=tuple(records),
        )

    def print_part(
        self, src: str, markdown: str, render: Callable[[], tuple[str, TableOfContents]]
    ) -> tuple[str, TableOfContents]:
        """A part of the Print page, rendered at ``src`` (as step 1 renders a
        page, from the same configuration and files)."""
        if not self.enabled:
            return render()
        key = _digest([self._base, "print part", src, markdown])
        kept = self.cache.last.parts.get(key)
        if kept is None:
            kept = render()
            kept = (kept[0], copy.deepcopy(kept[1]))
        self.next.parts[key] = kept
        return kept[0], copy.deepcopy(kept[1])

    # -- the theme's own templates --------------------------------------------------

    def template_key(self, name: str, files: Files) -> bytes | None:
        """What a template of the theme's own (404.html, sitemap.xml) is made
        from: the navigation, and every page's addresses and date."""
        if not self.enabled:
            return None
        pages = [
            [f.src_uri, f.url, f.page.canonical_url, f.page.abs_url, f.page.update_date]
            for f in files.documentation_pages()
            if f.page is not None
        ]
        return _digest([self._base, self._nav, "template", name, pages])

    def reuse_template(self, key: bytes | None, config: MkDocsConfig) -> bool:
        entry = self.cache.last.templates.get(key) if key is not None else None
        if entry is None or key is None:
            return False
        for path, stored in entry.outputs:
            # A copy: a page of the user's may be written over it (a 404.md).
            shutil.copyfile(stored, Path(config.site_dir) / path)
        _replay(entry.records)
        self.next.templates[key] = entry
        return True

    def keep_template(
        self, key: bytes | None, name: str, config: MkDocsConfig, records: list[_Record]
    ) -> None:
        if key is None:
            return
        outputs: list[tuple[str, Path]] = []
        for path in (name, f"{name}.gz"):
            written = Path(config.site_dir) / path
            if written.is_file():
                stored = self.cache.folder / f"{key.hex()}-{len(outputs)}"
                if not stored.exists():
                    shutil.copyfile(written, stored)
                    if os.name == "posix":
                        stored.chmod(0o444)
                outputs.append((path, stored))
        self.next.templates[key] = _Template(tuple(outputs), tuple(records))

    # -- step 2: the page as written ---------------------------------------------

    def reuse_written(self, key: bytes | None, page: Page) -> bool:
        self._order.append(page.url)
        entry = self.cache.last.written.get(key) if key is not None else None
        if entry is None or key is None:
            return False
        if entry.stored is not None:
            destination = Path(page.file.abs_dest_path)
            if destination.parent not in self._folders:
                destination.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(destination.parent)
            _place(entry.stored, destination)
        _replay(entry.records)
        self.next.written[key] = replace(entry)
        self._page_keys[page.url] = key
        self._reused.add(page.url)
        self.written_reused += 1
        return True

    def keep_written(
        self, key: bytes | None, page: Page, output: bytes | None, records: list[_Record]
    ) -> None:
        self.written += 1
        if key is None:
            return
        stored: Path | None = None
        if output is not None:
            stored = self.cache.folder / f"{key.hex()}.html"
            if not stored.exists():
                stored.write_bytes(output)
                if os.name == "posix":  # (Windows does not remove a read-only file)
                    stored.chmod(0o444)
        self.next.written[key] = _Written(stored, tuple(records))
        self._page_keys[page.url] = key

    # -- on_post_build: search, then the gate --------------------------------------

    def complete_search_index(self, site_dir: Path) -> None:
        """Put the reused pages' entries back into the search plugin's index,
        at their pages' places, and keep the rendered pages' entries."""
        index_file = site_dir / SEARCH_INDEX
        if not self.enabled or not index_file.is_file():
            return
        index = json.loads(index_file.read_text("utf-8"))
        entries = index.get("docs")
        if not isinstance(entries, list):
            return  # not an index this module knows: every page was rendered for it
        fresh: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            location = str(entry.get("location", "")) if isinstance(entry, dict) else ""
            fresh.setdefault(location.split("#", 1)[0], []).append(entry)
        docs: list[dict[str, Any]] = []
        for url in dict.fromkeys(self._order):
            key = self._page_keys.get(url)
            written = self.next.written.get(key) if key is not None else None
            if url in self._reused:
                assert written is not None
                if written.search is None:
                    raise RuntimeError(f"the search entries of the reused page '{url}' are missing")
                docs += written.search
                continue
            own = fresh.pop(url, [])
            if written is not None:
                written.search = own
            docs += own
        for rest in fresh.values():  # entries of no page built here (another plugin's)
            docs += rest
        index["docs"] = docs
        if self._reused:
            index_file.write_text(
                json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8"
            )

    def gate_policy(self, policy: GatePolicy) -> GatePolicy:
        """``policy`` with the files the gate need not read again."""
        last = self.cache.last.verdicts
        if not self.enabled or last is None or last.policy != policy_key(policy):
            return policy
        return replace(policy, checked=dict(last.clean))

    def clean_units(self, policy: GatePolicy) -> CleanUnits | None:
        """What this process's gate found clean in the last build, if it
        was under the same policy (else nothing is known clean)."""
        if not self.enabled:
            return None
        last = self.cache.last.verdicts
        known = last.units if last is not None and last.policy == policy_key(policy) else {}
        return CleanUnits(known=known)

    def gate_passed(
        self,
        site_dir: Path,
        policy: GatePolicy,
        report: GateReport,
        units: CleanUnits | None = None,
    ) -> None:
        """Keep what the gate found clean: every file it read or skipped,
        but the theme's own (skipped for what they are) and the user's files
        that it could read only in part (the build says which those are, and
        says it on every build); and the units of text ``units`` met, all
        clean since the gate found nothing."""
        if not self.enabled:
            return
        user_files = self.plugin.user_files if self.plugin is not None else frozenset()
        opaque = {path.split("!/", 1)[0] for path in report.opaque} & user_files
        clean: dict[str, bytes] = {}
        for path in _site_files(site_dir):
            if path in policy.vendor or path in opaque:
                continue
            file = site_dir / path
            if file.is_symlink():
                continue
            clean[path] = file_digest(file.read_bytes())
        self.gate_skipped = sum(
            1 for path, digest in policy.checked.items() if clean.get(path) == digest
        )
        met = units.met if units is not None else {}
        kept = {
            path: {reading: frozenset(hashes) for reading, hashes in readings.items()}
            for path, readings in met.items()
        }
        self.next.verdicts = _Verdicts(policy_key(policy), clean, kept)

    def summary(self) -> str:
        """What this build rendered, for the terminal."""
        pages = self.written + self.written_reused
        return (
            f"Rendered {self.written} of {pages} pages again; the other "
            f"{self.written_reused} had not changed since the last build"
        )

    def details(self) -> str:
        """What this build reused, for --verbose and the tests."""
        return (
            f"Pages rendered {self.written}, reused {self.written_reused}; HTML from Markdown "
            f"rendered {self.rendered}, reused {self.rendered_reused}; files the output gate "
            f"did not read again (unchanged since it found them clean) {self.gate_skipped}"
        )


def _place(stored: Path, destination: Path) -> None:
    """A kept page into the site: a second name for the kept file (one call
    to the system, where a copy takes several), or a copy where the two
    folders cannot share a file.

    Sharing is safe because nothing writes into a page once it is written:
    pages are written after the theme's templates and the static files
    (whose file at the same address, if any, is removed here first rather
    than written over), the plugins the cache works with write nothing but
    the search index afterwards, and the next build removes the site's
    files, which leaves the kept file as it is. The kept file is read-only
    besides."""
    destination.unlink(missing_ok=True)
    try:
        os.link(stored, destination)
    except OSError:
        shutil.copyfile(stored, destination)


def _site_files(folder: Path) -> Iterator[str]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink():
            yield path.relative_to(folder).as_posix()


# -- the build -------------------------------------------------------------------


def build(config: MkDocsConfig, *, serve_url: str, session: RebuildSession) -> None:
    """MkDocs' ``build`` (mkdocs.commands.build, MkDocs 1.6) for ``mkdocs
    serve``, with its two steps for each page reused when the session has
    them. Every event is sent as MkDocs sends it, but ``on_page_content``,
    ``on_page_context`` and ``on_post_page`` for a page whose step is reused."""
    logger = logging.getLogger("mkdocs")
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(warning_counter)
    inclusion = InclusionLevel.is_in_serve
    try:
        start = time.monotonic()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        build_log.info("Cleaning site directory")
        utils.clean_directory(config.site_dir)

        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        session.start(config, files)

        build_log.debug("Reading markdown pages.")
        excluded = []
        for file in files.documentation_pages(inclusion=inclusion):
            build_log.debug(f"Reading: {file.src_uri}")
            if file.page is None and file.inclusion.is_not_in_nav():
                if file.inclusion.is_excluded():
                    excluded.append(urljoin(serve_url, file.url))
                Page(None, file, config)
            assert file.page is not None
            _populate_page(file.page, config, files, session)
        if excluded:
            build_log.info(
                "The following pages are being built only for the preview "
                "but will be excluded from `mkdocs build` per `draft_docs` config:\n  - "
                + "\n  - ".join(excluded)
            )

        env = config.plugins.on_env(env, config=config, files=files)

        doc_files = files.documentation_pages(inclusion=inclusion)
        session.navigation(nav, doc_files)

        build_log.debug("Copying static assets.")
        files.copy_static_files(dirty=False, inclusion=inclusion)
        for template in config.theme.static_templates:
            _theme_template(template, env, files, config, nav, session)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)

        build_log.debug("Building markdown pages.")
        for file in doc_files:
            assert file.page is not None
            _build_page(
                file.page,
                config,
                doc_files,
                nav,
                env,
                session,
                excluded=file.inclusion.is_excluded(),
            )

        log_level = config.validation.links.anchors
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=log_level)

        config.plugins.on_post_build(config=config)

        if counts := warning_counter.get_counts():
            msg = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {msg} in strict mode!")

        if session.written_reused:
            log.info(session.summary())
        log.debug(session.details())
        build_log.info(f"Documentation built in {time.monotonic() - start:.2f} seconds")

    except Exception as e:
        config.plugins.on_build_error(error=e)
        if isinstance(e, BuildError):
            build_log.error(str(e))
            raise Abort("Aborted with a BuildError!") from e
        raise

    finally:
        logger.removeHandler(warning_counter)


def _theme_template(
    name: str,
    env: Any,
    files: Files,
    config: MkDocsConfig,
    nav: Navigation,
    session: RebuildSession,
) -> None:
    """MkDocs' ``_build_theme_template``, reused when its key matches."""
    key = session.template_key(name, files)
    if session.reuse_template(key, config):
        return
    with _recording() as records:
        _build_theme_template(name, env, files, config, nav)
    session.keep_template(key, name, config, records)


def _populate_page(page: Page, config: MkDocsConfig, files: Files, session: RebuildSession) -> None:
    """MkDocs' ``_populate_page``: the page's HTML from its Markdown, reused
    when its key matches."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(
            page.markdown, page=page, config=config, files=files
        )
        key = session.content_key(page)
        if session.reuse_rendered(key, page, files):
            if session.plugin is not None:
                # Not rendered: qualsite's switch for its own Markdown goes
                # off here, as on_page_content would turn it off.
                session.plugin.own_markdown.now = False
            return
        with _recording() as records:
            page.render(config, files)
            assert page.content is not None
            page.content = config.plugins.on_page_content(
                page.content, page=page, config=config, files=files
            )
        session.keep_rendered(key, page, records)
    except Exception as e:
        message = f"Error reading page '{page.file.src_uri}':"
        if not isinstance(e, BuildError):
            message += f" {e}"
        build_log.error(message)
        raise
    finally:
        config._current_page = None


def _build_page(
    page: Page,
    config: MkDocsConfig,
    doc_files: Sequence[File],
    nav: Navigation,
    env: Any,
    session: RebuildSession,
    *,
    excluded: bool,
) -> None:
    """MkDocs' ``_build_page``: the page through the theme's template, into
    the site; reused when its key matches."""
    config._current_page = page
    try:
        key = session.page_key(page, excluded=excluded)
        if session.reuse_written(key, page):
            return
        build_log.debug(f"Building page {page.file.src_uri}")
        with _recording() as records:
            page.active = True
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            if excluded:
                page.content = (
                    '<div class="mkdocs-draft-marker" title="This page will not be included '
                    'into the built site.">DRAFT</div>' + (page.content or "")
                )
            output = template.render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
            written: bytes | None = None
            if output.strip():
                written = output.encode("utf-8", errors="xmlcharrefreplace")
                utils.write_file(written, page.file.abs_dest_path)
            else:
                build_log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
        session.keep_written(key, page, written, records)
    except Exception as e:
        message = f"Error building page '{page.file.src_uri}':"
        if not isinstance(e, BuildError):
            message += f" {e}"
        build_log.error(message)
        raise
    finally:
        page.active = False
        config._current_page = None


# -- messages ------------------------------------------------------------------


class _Recorder(logging.Handler):
    def __init__(self, records: list[_Record]) -> None:
        super().__init__(level=logging.NOTSET)
        self.records = records
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return  # the server's threads log their requests meanwhile
        try:
            self.records.append(_Record(record.name, record.levelno, record.getMessage()))
        except Exception:  # a record whose arguments do not fit its message
            self.handleError(record)


@contextmanager
def _recording() -> Iterator[list[_Record]]:
    """The messages MkDocs and its plugins log meanwhile (``mkdocs.*``)."""
    records: list[_Record] = []
    recorder = _Recorder(records)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(recorder)
    try:
        yield records
    finally:
        logger.removeHandler(recorder)


def _replay(records: Iterable[_Record]) -> None:
    for record in records:
        logging.getLogger(record.logger).log(record.level, record.message)


# -- fingerprints ------------------------------------------------------------------


def _digest(parts: Sequence[object]) -> bytes:
    """One digest of ``parts``: each string or bytes as it is (a page's
    Markdown or HTML, megabytes long), anything else as JSON; each part
    with its kind and length first, so that no two lists of parts read
    the same."""
    digest = hashlib.blake2b(digest_size=32)
    for part in parts:
        if isinstance(part, str):
            data, kind = part.encode("utf-8", "surrogatepass"), b"s"
        elif isinstance(part, bytes):
            data, kind = part, b"b"
        else:
            text = json.dumps(part, ensure_ascii=False, separators=(",", ":"), default=_refuse)
            data, kind = text.encode("utf-8", "surrogatepass"), b"j"
        digest.update(kind + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


def _refuse(value: object) -> object:
    if isinstance(value, bytes):
        return value.hex()
    raise Uncacheable(f"a value of type {type(value).__qualname__} in a key")


def _canonical(value: object, where: str) -> object:
    """``value`` as JSON data that two values share only if they are the
    same; raises Uncacheable for a value it cannot say that of."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Enum):
        return ["enum", type(value).__qualname__, _canonical(value.value, where)]
    if isinstance(value, PurePath):
        return ["path", str(value)]
    if isinstance(value, (datetime, date)):
        return ["date", value.isoformat()]
    if isinstance(value, PluginCollection):
        return [
            "plugins",
            [
                [name, _qualified(type(plugin)), _canonical(plugin.config, f"{where}: {name}")]
                for name, plugin in value.items()
            ],
        ]
    if isinstance(value, Theme):
        return [
            "theme",
            value.name,
            [str(folder) for folder in value.dirs],
            sorted(value.static_templates),
            value.custom_dir,
            _canonical(dict(value.items()), f"{where}: theme"),
        ]
    if isinstance(value, Mapping):
        items = [[_canonical(k, where), _canonical(v, f"{where}: {k}")] for k, v in value.items()]
        return ["map", sorted(items, key=lambda item: json.dumps(item[0], default=str))]
    if isinstance(value, (list, tuple)):
        return ["list", [_canonical(item, where) for item in value]]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(_canonical(item, where)) for item in value)]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        name = _qualified(value)
        if not name.startswith(_PURE_PACKAGES):
            raise Uncacheable(f"{where}: {name}, a function qualsite does not know")
        return ["function", name]
    if type(value).__name__ == "Locale":  # MkDocs' or Babel's, as the theme's locale
        return ["locale", str(value)]
    module = type(value).__module__
    if f"{module}.".startswith(_PURE_PACKAGES) and hasattr(value, "getConfigs"):
        # A Markdown extension given as an object, with its settings.
        return ["extension", _qualified(type(value)), _canonical(value.getConfigs(), where)]
    raise Uncacheable(f"{where}: a value of type {_qualified(type(value))}")


def _qualified(value: Callable[..., object] | type) -> str:
    return f"{value.__module__}.{value.__qualname__}"


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _files_state(files: Files) -> list[object]:
    """Every file of the site, where it is published and how it is included:
    what a page's links resolve against."""
    return [
        [f.src_uri, f.dest_uri, f.url, f.inclusion.name, f.is_documentation_page()]
        for f in sorted(files, key=lambda f: (f.src_uri, f.dest_uri))
    ]


def _theme_state(theme: Theme) -> list[object]:
    """The theme's templates: those of its custom_dir by content, the
    installed theme's by their names, sizes and times (but its icon sets,
    thousands of SVG files that a page includes by name, and that nothing
    changes while a server runs)."""
    custom = Path(theme.custom_dir).resolve() if theme.custom_dir else None
    state: list[object] = []
    for folder in map(Path, theme.dirs):
        if custom is not None and folder.resolve() == custom:
            state.append(["custom", str(folder), _folder_content(folder)])
        else:
            state.append(["installed", str(folder), _folder_stats(folder)])
    return state


def _templates_state(plugin: QualsitePlugin | None) -> list[object]:
    """qualsite's templates and the study's overrides, and the message
    catalogues, by content (they make the generated Markdown, which is
    hashed too, and the assets)."""
    folders = [builtin_templates_dir()]
    if plugin is not None and plugin.settings is not None:
        folders.append(plugin.settings.templates)
    state: list[object] = [[str(folder), _folder_content(folder)] for folder in folders]
    # The catalogues write the pages' words, as the templates do (only the
    # .po files: a translations folder may be the study's own folder).
    catalogues = [shipped_folder()]
    if plugin is not None and plugin.settings is not None and plugin.settings.translations:
        catalogues.append(plugin.settings.translations)
    state += [[str(folder), _folder_content(folder, "*.po")] for folder in catalogues]
    return state


def _folder_content(folder: Path, pattern: str = "*") -> list[object]:
    if not folder.is_dir():
        return []
    found: list[object] = []
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
        found.append([path.relative_to(folder).as_posix(), _digest([path.read_bytes()])])
    return found


def _folder_stats(folder: Path) -> list[object]:
    found: list[object] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != ".icons")
        for name in sorted(names):
            try:
                stat = os.stat(os.path.join(root, name))
            except OSError:
                continue
            found.append([os.path.relpath(os.path.join(root, name), folder), stat.st_size])
            found.append(stat.st_mtime_ns)
    return found


def _page_state(page: Page) -> list[object]:
    return [
        type(page).__qualname__,
        page.file.src_uri,
        page.url,
        page.title,
        page.is_index,
        _canonical(page.meta, f"{page.file.src_uri}: front matter"),
    ]


def _nav_state(items: Iterable[object]) -> list[object]:
    state: list[object] = []
    for item in items:
        if isinstance(item, Page):
            state.append(["page", *_page_state(item)])
        elif isinstance(item, Section):
            state.append(["section", item.title, _nav_state(item.children)])
        elif isinstance(item, Link):
            state.append(["link", item.title, item.url])
        else:
            raise Uncacheable(f"the navigation holds a {type(item).__qualname__}")
    return state


def _toc_state(toc: Iterable[AnchorLink]) -> list[object]:
    return [[a.title, a.id, a.level, _toc_state(a.children)] for a in toc]


def _neighbour(page: Page | None) -> list[object] | None:
    return None if page is None else [page.url, page.title]

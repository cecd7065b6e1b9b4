"""The ``qualsite`` MkDocs plugin: hooks only.

Each hook hands over to the core (:mod:`qualsite.site`, :mod:`qualsite.render`)
and translates between MkDocs objects and the core's plain data. All checking
happens in ``on_config``, before MkDocs cleans the site folder, so a study
with a mistake stops the build before anything is written.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths
from mkdocs.utils.meta import get_data

from ..dates import build_date
from ..errors import QualsiteError, display_path
from ..guard import NO_DENY_LIST
from ..guard.review import unreviewed_count
from ..guard.worker import (
    WORKER_OFF,
    BuildWorkers,
    WorkerFailed,
    keep_spare_worker,
    start_worker,
)
from ..marker import BUILT_WITH, built_with_marker
from ..render import GeneratedPage, read_asset
from ..render.citation import cff_omissions, footer
from ..render.embeds import expand_embeds, repeated_anchors
from ..render.nav import generated_sections, place_sections, section_index_pages
from ..render.notices import draft_notice, without_plugin_notes_removed
from ..render.printing import PrintPart, RepeatedIdError, content_markdown, print_header
from ..render.search import (
    PREVIEW_ENTRIES,
    SEARCH_INDEX,
    SearchPlan,
    combined_plan,
    search_plan,
    shape_search_index_file,
)
from ..render.templates import template_dirs, template_failure
from ..render.urls import ASSETS_DIR, PRINT_PAGE, src_at_address
from ..site import PreparedSite, SiteSettings, prepare_site, read_codebook_job
from ..yaml_source import remember_parses
from .config import QualsiteConfig, language_mismatch, site_settings
from .deferred import ExportsElsewhere
from .guarded_plugins import project_archive_refusal
from .language_builds import (
    ConfigOriginals,
    LanguageBuild,
    language_build,
    language_build_refusal,
    one_search_language,
    present_as_language_version,
    undo_after_failed_language,
)
from .long_lived import between_builds, cancel_between_builds, long_lived_objects
from .navigation_files import category_tree_nav_file, uses_awesome_nav
from .offline import SHIM_FILES, inline_search_index, prepare_offline
from .page_sources import PageSources, sources_folder
from .prerendered_blocks import OwnMarkdown, PrerenderedBlocks
from .print_page import fill_print_page
from .publishing import check_written_site, theme_files, withdraw
from .reading_order import print_parts
from .rebuild_cache import RebuildSession
from .revision_dates import REVISION_DATES, CodebookDates, restamp
from .section_indexes import attach_section_indexes
from .theme import (
    SEARCH_SCRIPTS,
    after_article_start,
    drop_empty_toc,
    name_search_dialog,
    name_section_toggles,
    queue_search_queries,
    title_not_found,
)
from .unsupported import warnings as unsupported_warnings

log = get_plugin_logger(__name__)

#: A file to write the plugin's time per phase to, as JSON, after a build.
TIMINGS_VARIABLE = "QUALSITE_TIMINGS"

STYLESHEET = "qualsite.css"
#: The figure's full-screen view (shipped like the stylesheet, overridable too).
SCRIPT = "qualsite.js"
#: The navigation by keyboard: the theme's menu and section toggles as
#: buttons, the closed drawer out of the Tab order (shipped as the script is).
NAVIGATION_SCRIPT = "qualsite-navigation.js"

#: What the gate worker imports before a build hands it anything: its jobs'
#: modules (qualsite.site.matrix_pages_job, exports_job), the Word exports'.
WORKER_MODULES = ("qualsite.site", "qualsite.exports.documents")

#: The output gate runs after every other plugin has written its files.
LAST = -1000
#: What must happen before any other plugin acts.
FIRST = 1000

#: The attributes a build inside another build (mkdocs-static-i18n's next
#: language) shares with it; every other attribute is the build's own, set
#: aside while the inner build runs. Shared: the plugin's options, what
#: on_startup said of the command, and what the builds hand the outermost.
_SHARED_BY_BUILDS = frozenset(
    {
        "config",
        "dirty",
        "previewing",
        "outer_builds",
        "config_originals",
        "own_markdown",
        "language_search_plans",
        "language_user_files",
    }
)

DIRTY_REFUSED = (
    "qualsite does not build with --dirty: a dirty build keeps the pages of the last build "
    "that this one no longer makes (a withdrawn participant's among them) and the old "
    "navigation on pages it does not rebuild; build without --dirty"
)


class QualsitePlugin(BasePlugin[QualsiteConfig]):
    def __init__(self) -> None:
        self.site: PreparedSite | None = None
        self.settings: SiteSettings | None = None
        self.print_file: File | None = None
        self.print_parts: list[PrintPart] = []
        #: The user's pages as the Print page shows them, by source path.
        self.print_markdown: dict[str, str] = {}
        self.generated_srcs: frozenset[str] = frozenset()
        self.dirty = False
        self.previewing = False  # mkdocs serve: a preview, which publishes nothing
        #: MkDocs has begun writing the site (a failure from here on leaves
        #: an unchecked site, which is removed).
        self.writing = False
        self.site_dir: Path | None = None
        #: Output paths that are the theme's own files, unchanged (the gate skips them).
        self.vendor_files: dict[str, Path] = {}
        #: Output paths of files copied from docs_dir or the theme's custom_dir.
        self.user_files: frozenset[str] = frozenset()
        self.draft_banner = ""
        #: Under ``qualsite serve``: what this build reuses of the last one
        #: (set by qualsite.plugin.rebuild_cache before the build starts).
        self.rebuild: RebuildSession | None = None
        #: Checks the pages on another core as MkDocs writes them (None: all
        #: of the site is checked in on_post_build).
        self.gate_worker: BuildWorkers | None = None
        #: The downloads, made by the gate worker (None: by prepare_site).
        self.exports_elsewhere: ExportsElsewhere | None = None
        #: Whether the pages load qualsite's search script before Material's.
        self.queues_search = False
        #: The generated pages' source files, for this build only.
        self.page_sources: PageSources | None = None
        #: The codebook's first and last commits (read once a build, if needed).
        self.codebook_dates: CodebookDates | None = None
        #: The language mkdocs-static-i18n is building (None: it does not build the site).
        self.language: LanguageBuild | None = None
        #: From on_config to the end of on_post_build (or a failure).
        self.in_build = False
        #: The builds this one runs inside, set aside until it ends:
        #: mkdocs-static-i18n builds each further language from the first
        #: build's on_post_build, before qualsite's gate has checked that one.
        self.outer_builds: list[dict[str, Any]] = []
        #: The later languages' search plans and user files, for the first
        #: build, which shapes the index of every language and checks the site.
        self.language_search_plans: list[SearchPlan] = []
        self.language_user_files: set[str] = set()
        self.config_originals = ConfigOriginals()
        #: Whether the Markdown being rendered is a generated page's, whose
        #: HTML blocks go to Markdown as they are (prerendered_blocks).
        self.own_markdown = OwnMarkdown()
        #: Puts mkdocs-static-i18n back as it was before the first build, if
        #: a later language's build fails (the plugin does not itself).
        self.after_failed_language: Callable[[], None] | None = None

    # -- configuration: load and check everything -------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Only `serve` builds again in this process, and gains from keeping
        # each file's parse until it changes.
        remember_parses(command == "serve")
        self.dirty = dirty
        self.previewing = command == "serve"

    @event_priority(FIRST)  # before any other plugin's on_config, the info plugin's among them
    def _refuse_project_archive(self, config: MkDocsConfig) -> MkDocsConfig:
        refusal = project_archive_refusal(
            config, shareable=self.config.shareable_project, serving=self.previewing
        )
        if refusal is not None:
            raise PluginError(refusal)
        return config

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.in_build:
            # A build inside this one: this one's state waits aside, its gate
            # worker still holding the checks of the pages it has written.
            self.outer_builds.append(
                {name: value for name, value in vars(self).items() if name not in _SHARED_BY_BUILDS}
            )
            self.gate_worker = None
            self.exports_elsewhere = None
            self.page_sources = None
            self.rebuild = None  # qualsite serve's reuse is the outer build's
        else:
            self.language_search_plans = []
            self.language_user_files = set()
            self.after_failed_language = undo_after_failed_language(config)
        self.in_build = True
        # Built again (a later language), the configuration is as the user wrote it.
        self.config_originals.restore_or_keep(config)
        self.language = language_build(config)
        if self.language is not None:
            refusal = language_build_refusal(config, self.config.language)
            if refusal is not None:
                raise PluginError(refusal)
        self.writing = False
        self.codebook_dates = None
        if self.dirty:
            raise PluginError(DIRTY_REFUSED)
        if self.config.excerpts_per_page < 1:
            raise PluginError(
                f"plugins: qualsite: excerpts_per_page is {self.config.excerpts_per_page}; "
                "write a number of excerpts, 1 or more (the default is 100)"
            )
        if self.config.offline:
            prepare_offline(config)
        self._stop_gate_worker()
        # Not now, for the build after this one: a spare started now would
        # read the codebook beside this build (its own end starts one).
        cancel_between_builds()
        # Started first: it gets ready on the other core while the study loads.
        self.gate_worker = start_worker(WORKER_MODULES)
        try:
            self.settings = site_settings(config, self.config, previewing=self.previewing)
            # The worker renders the matrices' pages meanwhile, and makes the
            # downloads while this process makes the pages and MkDocs renders
            # them; under qualsite serve too, where each rebuild makes every
            # page's Markdown and every download again (10,000 excerpts: a
            # rebuild in 3.4 s, bench_serve.py).
            helper = self.gate_worker
            if helper is not None:
                self.exports_elsewhere = ExportsElsewhere()
            folder = self.exports_elsewhere.folder if self.exports_elsewhere else None
            keep_page = None
            if not self.previewing:
                # Each page's Markdown goes to its source file as soon as it
                # is made, not held until on_files with every other page's
                # (at 50,000 excerpts, 70 MB of it, while the helper still
                # holds the study for the downloads). Under mkdocs serve the
                # rebuild cache decides in on_files whether pages get files.
                self._remove_page_sources()
                self.page_sources = PageSources(sources_folder(self.settings))
                keep_page = self._written_page
            with long_lived_objects(previewing=self.previewing):
                self.site = prepare_site(self.settings, helper, folder, keep_page)
        except QualsiteError as error:
            self._stop_gate_worker()
            raise PluginError(str(error)) from None
        if self.exports_elsewhere is not None:
            if self.site.deferred_exports is None:  # made here after all
                self._remove_exports_folder()
            else:
                self.exports_elsewhere.adopt(self.site.deferred_exports)
        for warning in self.site.warnings:
            log.warning(str(warning))
        mismatch = language_mismatch(config, self.config)
        if mismatch:
            log.warning(mismatch)
        for advice in unsupported_warnings(config):
            log.warning(advice)
        for reminder in self.site.reminders:
            # Not a warning: --strict must not stop a study still being written up.
            log.info(f"{reminder.location}: {reminder.message}")
        if self.site.deny_list_entries is None:
            waiver = self.settings.deny_list_waiver
            if waiver:
                log.info(f"built without a deny-list: {' '.join(waiver.split())}")
            elif not config.strict:
                log.info(NO_DENY_LIST)
        banner = draft_notice(self.site.published)
        self.draft_banner = str(banner) if banner else ""
        if banner:
            count = unreviewed_count(self.site.published)
            log.info(
                f"the study is a draft (draft: true in study.yml): every page says so, and "
                f"{count} text(s) not yet reviewed for anonymisation are shown"
            )
        # Not warnings: the site is complete, and --strict must not stop for them.
        study_file = self.site.published.meta.origin.location
        for omission in cff_omissions(self.site.published.meta):
            log.info(f"{study_file}: {omission}")
        if self.language is None:
            self._add_to_config(config)
        if not any(isinstance(e, PrerenderedBlocks) for e in config.markdown_extensions):
            # A new list: the one MkDocs validated may be another build's too.
            # (Python-Markdown takes an extension object where MkDocs' type says str.)
            extensions: list[Any] = [*config.markdown_extensions]
            extensions.append(PrerenderedBlocks(self.own_markdown))
            config.markdown_extensions = extensions
        return config

    # After mkdocs-static-i18n's on_config (-100), which sets each language's
    # own values (a copyright line, a nav) before qualsite adds to them.
    @event_priority(-110)
    def _configure_language(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.language is not None:
            self._add_to_config(config)
        return config

    on_config = CombinedEvent(_refuse_project_archive, _configure, _configure_language)

    def _add_to_config(self, config: MkDocsConfig) -> None:
        """The footer line, qualsite's stylesheet and scripts, its sections of
        the navigation. New values, not changed ones: another plugin
        (mkdocs-static-i18n) may hold the old ones, to put back."""
        assert self.site is not None
        # The version, the date and the DOI in every page's footer, after the
        # site's own copyright line, if it has one.
        line = footer(self.site.published.meta, build_date())
        config.copyright = f"{config.copyright} · {line}" if config.copyright else str(line)
        config.extra_css = [*config.extra_css, f"{ASSETS_DIR}/{STYLESHEET}"]
        config.extra_javascript = [
            *config.extra_javascript,
            f"{ASSETS_DIR}/{SCRIPT}",
            f"{ASSETS_DIR}/{NAVIGATION_SCRIPT}",
        ]
        self.queues_search = queue_search_queries(
            config, [f"{ASSETS_DIR}/{name}" for name in SEARCH_SCRIPTS]
        )
        if config.nav is not None:
            config.nav = self._place_sections(copy.deepcopy(config.nav))

    def _place_sections(self, nav: list[Any]) -> list[Any]:
        assert self.site is not None and self.settings is not None
        sections = generated_sections(
            self.site.published,
            participant_pages=self.settings.participant_pages,
            matrices=self.settings.matrices,
            codebook_history=self.settings.codebook_history,
        )
        try:
            return place_sections(nav, sections)
        except QualsiteError as error:
            raise PluginError(str(error)) from None

    # -- files: generated pages are virtual, nothing is written to docs_dir ------

    # Early, so that plugins listed before qualsite (mkdocs-redirects) see
    # the generated pages among the site's files.
    @event_priority(50)
    def _add_files(self, files: Files, config: MkDocsConfig) -> Files:
        return files if self.language is not None else self._add_generated(files, config)

    # After mkdocs-static-i18n (at -100) has chosen each page's language
    # version: it keeps only the files from docs_dir.
    @event_priority(-150)
    def _add_files_for_language(self, files: Files, config: MkDocsConfig) -> Files:
        return self._add_generated(files, config) if self.language is not None else files

    def _generated(
        self,
        config: MkDocsConfig,
        src: str,
        source: Path,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> File:
        """A generated page or download read from ``source``, in the
        language build's folder."""
        return self._in_language_folder(
            File.generated(config, src, abs_src_path=str(source), inclusion=inclusion)
        )

    def _in_language_folder(self, file: File) -> File:
        if self.language is not None and self.language.folder:
            file.dest_uri = self.language.folder + file.dest_uri
        return file

    def _made(
        self,
        config: MkDocsConfig,
        src: str,
        content: str | bytes,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> File:
        """A page or download qualsite made: read from its source file
        (:mod:`.page_sources`), or, where no plugin of the site reads one,
        from memory."""
        if self.page_sources is not None:
            return self._generated(config, src, self.page_sources.write(src, content), inclusion)
        return self._in_language_folder(
            File.generated(config, src, content=content, inclusion=inclusion)
        )

    def _written_page(self, page: GeneratedPage) -> GeneratedPage:
        """``page`` with its Markdown in its source file, no longer held."""
        assert self.page_sources is not None
        return replace(
            page, markdown="", source=self.page_sources.write(page.src_path, page.markdown)
        )

    def _add_generated(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.settings is not None
        self.generated_srcs = frozenset(page.src_path for page in self.site.pages)
        # Each generated page and download has a source file, as other
        # plugins expect of a page (qualsite.plugin.page_sources); under
        # qualsite serve with no plugin but those its cache knows (none of
        # which reads a page's source), they are kept in memory instead:
        # a rebuild of 10,000 excerpts wrote 400 files for no one. A build
        # has written its pages already (on_config).
        if self.previewing:
            self._remove_page_sources()
            if self.rebuild is None or not self.rebuild.no_source_readers:
                self.page_sources = PageSources(sources_folder(self.settings))
        for page in self.site.pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            if page.source is not None:
                files.append(self._generated(config, page.src_path, page.source, inclusion))
            else:
                files.append(self._made(config, page.src_path, page.markdown, inclusion))
        if self.exports_elsewhere is not None:
            self.exports_elsewhere.add_files(files, config, self._generated)
        for generated in self.site.files:
            file = self._made(config, generated.path, generated.content)
            files.append(file)
            if self.gate_worker is not None:
                # Checked on the other core while MkDocs renders the pages.
                self.gate_worker.check(file.dest_uri, generated.content)
        # From here on the Files hold qualsite's pages and downloads (a big
        # study's are tens of megabytes), and nothing else does.
        self.site = replace(self.site, pages=[], files=[])
        # The Print page is its header until every page is rendered (on_env).
        self.print_file = self._made(config, PRINT_PAGE, "")
        self.print_markdown = {}
        files.append(self.print_file)
        if self.language is not None:
            ours = self.generated_srcs | {PRINT_PAGE}
            present_as_language_version(
                config, [f for f in files.documentation_pages() if f.src_uri in ours]
            )
        stylesheet = read_asset(STYLESHEET, [self.settings.templates])
        files.append(File.generated(config, f"{ASSETS_DIR}/{STYLESHEET}", content=stylesheet))
        script = read_asset(SCRIPT, [self.settings.templates])
        files.append(File.generated(config, f"{ASSETS_DIR}/{SCRIPT}", content=script))
        navigation = read_asset(NAVIGATION_SCRIPT, [self.settings.templates])
        files.append(
            File.generated(config, f"{ASSETS_DIR}/{NAVIGATION_SCRIPT}", content=navigation)
        )
        if config.nav is None and uses_awesome_nav(config):
            # awesome-nav builds the navigation from the files; it is told the
            # category tree's order and titles as its users tell it theirs.
            sections = generated_sections(
                self.site.published,
                participant_pages=self.settings.participant_pages,
                matrices=self.settings.matrices,
                codebook_history=self.settings.codebook_history,
            )
            files.append(category_tree_nav_file(config, sections["categories"]))
        # What `qualsite build` looks for to know that the plugin ran.
        files.append(File.generated(config, BUILT_WITH, content=built_with_marker()))
        if self.queues_search:
            for name in SEARCH_SCRIPTS:
                script = read_asset(name, [self.settings.templates])
                files.append(File.generated(config, f"{ASSETS_DIR}/{name}", content=script))
        if self.config.offline:
            for path, source in SHIM_FILES.items():
                files.append(File.generated(config, path, content=source.read_bytes()))
        return files

    # Late, once every plugin has added its files (a blog's posts, say).
    @event_priority(LAST)
    def _check_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        self._refuse_codebook_files(files)
        self.vendor_files = theme_files(files, config)
        if self.config.offline:
            # Shipped inside qualsite, as a theme's files are inside the theme.
            self.vendor_files.update(SHIM_FILES)
        self.user_files = frozenset(
            f.dest_uri for f in files if f.abs_src_path and f.generated_by is None
        ) - frozenset(self.vendor_files)
        if config.nav is None and not uses_awesome_nav(config):
            # What MkDocs would build from the user's pages, then our sections.
            generated = self.generated_srcs | {PRINT_PAGE}
            own_pages = [
                f.src_uri
                for f in files.documentation_pages()
                if f.inclusion.is_in_nav() and f.src_uri not in generated
            ]
            config.nav = self._place_sections(nest_paths(own_pages))
        return files

    on_files = CombinedEvent(_add_files, _add_files_for_language, _check_files)

    def _refuse_codebook_files(self, files: Files) -> None:
        """No file of the codebook, and not the deny-list, may be published,
        whichever plugin or setting brought it into the site."""
        assert self.site is not None
        secret = {path.resolve() for path in self.site.gate_policy.forbidden}
        published = [
            f for f in files if f.abs_src_path and Path(f.abs_src_path).resolve() in secret
        ]
        if published:
            raise PluginError(
                f"{display_path(Path(published[0].abs_src_path or ''))}: this file would be "
                "published as it is, and it is a file of the codebook (with withdrawn "
                "participants and unpublished excerpts) or the deny-list; keep both out of "
                "docs_dir, and out of every folder a plugin publishes"
            )

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None and self.print_file is not None
        # The Print page follows the navigation's order.
        ours = self.generated_srcs | {PRINT_PAGE}
        self.print_parts = print_parts(nav.pages, ours)
        header = print_header(self.site.renderer).markdown
        if self.page_sources is not None and self.print_file.abs_src_path:
            self.page_sources.write(PRINT_PAGE, header)  # the file MkDocs reads it from
        else:
            self.print_file.content_string = header
        # A category with sub-categories is its section's own page (with
        # Material's navigation.indexes), not a first child that repeats it.
        attach_section_indexes(nav, section_index_pages(self.site.published))
        return nav

    # -- pages: expand embeds in the user's own pages -----------------------------

    # After other plugins (a macro may write an embed, and no other plugin
    # sees the study's text that an embed brings in).
    @event_priority(-50)
    def _expand_page(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        assert self.site is not None and self.settings is not None
        src = page.file.src_uri
        if page.file.generated_by is not None:
            # Generated pages hold no embeds: qualsite's hold study text,
            # another plugin's are printed as they are.
            if self._printed(src):
                self.print_markdown[src] = markdown
            if self._own(src) and REVISION_DATES in config.plugins:
                if self.codebook_dates is None:
                    self.codebook_dates = CodebookDates.of(self.settings.codebook)
                restamp(page, markdown, config, self.codebook_dates)
            return markdown
        started = time.perf_counter()
        # The plugin runs: the note that says it did not is not for this site.
        markdown = without_plugin_notes_removed(markdown)
        try:
            expanded = self._expand(page, markdown, print_version=False)
            if self._printed(src):
                self.print_markdown[src] = self._expand(page, markdown, print_version=True)
            self._add_time("embeds", time.perf_counter() - started)
            return expanded
        except QualsiteError as error:
            raise PluginError(str(error)) from None
        except Exception as error:
            problem = template_failure(error, template_dirs([self.settings.templates]))
            if problem is None:
                raise
            raise PluginError(str(problem)) from None

    # Last: every plugin has seen the page's Markdown whole, and the next
    # step is MkDocs turning it into HTML.
    @event_priority(LAST)
    def _mark_own_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.own_markdown.now = self._own(page.file.src_uri)
        return markdown

    on_page_markdown = CombinedEvent(_expand_page, _mark_own_markdown)

    def _own(self, src: str) -> bool:
        """Whether the page at ``src`` is one qualsite generates."""
        return src in self.generated_srcs or src == PRINT_PAGE

    def _printed(self, src: str) -> bool:
        return any(part.kind == "content" and part.src == src for part in self.print_parts)

    def _expand(self, page: Page, markdown: str, *, print_version: bool) -> str:
        """The page's Markdown with its embeds expanded, for its own page or
        for the Print page; raises QualsiteError."""
        assert self.site is not None
        source = page.file.content_string
        # MkDocs has removed the front matter; count it back for line numbers.
        head = source[: len(source) - len(markdown)] if source.endswith(markdown) else ""
        renderer = self.site.renderer
        src = page.file.src_uri
        shown = display_path(Path(page.file.abs_src_path)) if page.file.abs_src_path else src
        first_line = head.count("\n") + 1
        # Where the page is read, when another plugin moves it (a blog post).
        moved = page.url != renderer.urls.url(src)
        address = src_at_address(page.url) if moved else None
        if print_version:
            return content_markdown(
                renderer,
                markdown,
                src=src,
                shown_path=shown,
                first_line=first_line,
                kinds=frozenset(part.kind for part in self.print_parts),
            )
        return expand_embeds(
            markdown,
            shown_path=shown,
            first_line=first_line,
            render=lambda embed: renderer.embed(embed, src, address),
            targets=self.site.embed_targets,
        )

    @event_priority(FIRST)  # before any other plugin renders Markdown of its own
    def _unmark_own_markdown(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.own_markdown.now = False
        return html

    def _add_banner(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.draft_banner:
            html = self.draft_banner + html
        # Only the user's own pages can repeat an anchor of an embed (each
        # generated page's anchors are unique by construction).
        repeated = repeated_anchors(html) if page.file.generated_by is None else []
        if repeated:
            shown = display_path(Path(page.file.abs_src_path)) if page.file.abs_src_path else ""
            raise PluginError(
                f"{shown or page.file.src_uri}: the anchor '{repeated[0]}' is used twice on this "
                "page; a heading such as 'Table 2' takes the id of an embedded Table 2, so "
                "reword the heading"
            )
        return html

    @event_priority(LAST)  # the content as the theme will show it, after every other plugin
    def _warm_gate(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.gate_worker is not None:
            # Read on the other core while MkDocs renders the next pages, so
            # that checking the written page, later, has less left to read.
            self.gate_worker.warm(html)
        return html

    @event_priority(LAST)  # every plugin has read the page's Markdown by now
    def _let_go_of_markdown(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # MkDocs keeps every page's Markdown to the end of the build beside
        # its HTML, and neither MkDocs nor the theme reads it once the HTML
        # is made: let go of a generated page's, for the next pages' HTML to
        # take its place (at 50,000 excerpts the build's peak memory fell
        # from 425 to 300 MiB). Its title, which MkDocs works out from the
        # Markdown each time it is asked, is kept as it is now. Not under
        # mkdocs serve, whose rebuilds may reuse a page; not the Print page,
        # whose Markdown on_env sets.
        if not self.previewing and page.file.src_uri in self.generated_srcs:
            page.title = page.title
            page.markdown = None
        return html

    on_page_content = CombinedEvent(
        _unmark_own_markdown, _add_banner, _warm_gate, _let_go_of_markdown
    )

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        assert self.site is not None and self.print_file is not None
        # Every page is rendered: any Markdown from here on is not a page's
        # (a safety net; each page's own events turn the switch off).
        self.own_markdown.now = False
        # MkDocs writes the site once every plugin has had this event.
        self.writing, self.site_dir = True, Path(config.site_dir)
        if self.exports_elsewhere is not None:
            assert self.gate_worker is not None and self.settings is not None
            try:
                self.exports_elsewhere.collect(self.gate_worker, self.site, self.settings)
            except WorkerFailed as error:
                raise PluginError(
                    f"qualsite could not make the downloads: {error}; nothing was published. "
                    f"Please report this as a qualsite bug ({WORKER_OFF} builds in one process)."
                ) from None
        if self.print_file.page is None or self.print_file.page.content is None:
            return env  # not built (the page is excluded from this build)
        started = time.perf_counter()
        for part in self.print_parts:
            # A --dirty build renders only the pages that changed; the others
            # are printed from their source.
            file = files.get_file_from_path(part.src) if part.kind == "content" else None
            if file is not None and file.page is not None and part.src not in self.print_markdown:
                markdown, _ = get_data(file.content_string)
                if file.generated_by is None:
                    markdown = self._expand(file.page, markdown, print_version=True)
                self.print_markdown[part.src] = markdown
        try:
            fill_print_page(
                self.print_file.page,
                self.print_parts,
                self.print_markdown,
                self.site.renderer,
                config,
                files,
                earlier=self.rebuild,
                own_markdown=self.own_markdown,
            )
        except RepeatedIdError as error:
            raise PluginError(
                f"the Print page would give two of its elements the id '{error}': two of "
                "its generated sections have a heading with the same words (the model's "
                "title, 'Tables', 'Categories', 'How to cite'); reword one of them"
            ) from None
        self._add_time("print", time.perf_counter() - started)
        return env

    def _add_time(self, phase: str, seconds: float) -> None:
        assert self.site is not None
        self.site.timings[phase] = self.site.timings.get(phase, 0.0) + seconds

    def _name_controls(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return drop_empty_toc(name_section_toggles(name_search_dialog(output)))

    @event_priority(LAST)  # the page as MkDocs writes it, after every other plugin
    def _gate_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.gate_worker is not None and output.strip():
            # Read where MkDocs writes it, once it has (on_post_build reads
            # again any page that a plugin changes after that).
            self.gate_worker.check_once_written(page.file.dest_uri, Path(page.file.abs_dest_path))
        return output

    on_post_page = CombinedEvent(_name_controls, _gate_page)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str:
        """A draft's 404 page says it is a draft too (the theme renders it
        from a template, not from a page, so on_page_content never sees it);
        its search and its navigation's sections are named as every page's
        are, and it is titled as what it is rather than as the home page."""
        if template_name == "404.html":
            output_content = name_search_dialog(output_content)
            output_content = drop_empty_toc(name_section_toggles(output_content))
            output_content = title_not_found(output_content, config.site_name)
        if self.draft_banner and template_name == "404.html":
            return after_article_start(output_content, self.draft_banner)
        return output_content

    @event_priority(LAST)  # after every other plugin has written its files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        if self.rebuild is not None:
            # The search entries of the pages reused from the last build.
            self.rebuild.complete_search_index(site_dir)
        self._shape_search_index(site_dir, config)
        started = time.perf_counter()
        worker, self.gate_worker = self.gate_worker, None
        policy = replace(self.site.gate_policy, vendor=self.vendor_files)
        units = None
        if self.rebuild is not None:
            policy = self.rebuild.gate_policy(policy)
            units = self.rebuild.clean_units(policy)
        report = check_written_site(
            site_dir,
            policy,
            user_files=self.user_files | self.language_user_files,
            strict=bool(config.strict),
            warnings=self.site.warnings,
            worker=worker,
            timings=self.site.timings,
            units=units,
        )
        if self.rebuild is not None:
            self.rebuild.gate_passed(site_dir, policy, report, units)
        self._add_time("gate", time.perf_counter() - started)
        self._remove_exports_folder()
        self._remove_page_sources()
        # The benchmark (benchmarks/bench_build.py) reads how long each phase took.
        timings_file = os.environ.get(TIMINGS_VARIABLE)
        if timings_file:
            Path(timings_file).write_text(json.dumps(self.site.timings), encoding="utf-8")
        if self.outer_builds:
            # Back to the build this one ran inside, which checks the whole
            # site again once every language is written.
            self.language_user_files |= self.user_files
            vars(self).update(self.outer_builds.pop())
        else:
            self.in_build = False
            self._ready_for_next_build()

    def _ready_for_next_build(self) -> None:
        """Under ``mkdocs serve``, start the next build's worker while the
        preview waits for a save (a rebuild of a big study would otherwise
        wait for a new Python, its imports and its read of every file of the
        codebook: only the files a save changed are read again)."""
        if self.previewing:
            settings = self.settings
            prepare = (read_codebook_job, (settings,)) if settings is not None else None
            between_builds(partial(keep_spare_worker, WORKER_MODULES, prepare))

    def _search_plan(self) -> SearchPlan:
        """How this build's pages appear in the search index."""
        assert self.site is not None
        renderer = self.site.renderer
        return search_plan(
            self.site.published,
            urls=renderer.urls,
            paging=renderer.paging,
            kind_label=renderer.kind_label,
            generated_srcs=self.generated_srcs,
            folder=self.language.folder if self.language is not None else "",
            memo=PREVIEW_ENTRIES if self.previewing else None,
        )

    def _shape_search_index(self, site_dir: Path, config: MkDocsConfig) -> None:
        """What search finds on qualsite's pages (qualsite.render.search),
        once the theme's search plugin has written its index."""
        index = site_dir / SEARCH_INDEX
        if not index.is_file():
            return  # no search plugin, or one that writes elsewhere
        started = time.perf_counter()
        plan = self._search_plan()
        if self.language is not None and self.language.folder and one_search_language(config):
            # mkdocs-static-i18n keeps one entry of a text that is the same in
            # two languages, the default's: so is every excerpt's.
            plan = replace(plan, dropped=plan.generated)
        if self.outer_builds:
            # A later language, built inside the first build: once every
            # language is built, mkdocs-static-i18n writes the index again with
            # all their entries, and the first build shapes it with each plan.
            self.language_search_plans.append(plan)
        else:
            shape_search_index_file(index, combined_plan([plan, *self.language_search_plans]))
            if self.config.offline:
                inline_search_index(site_dir)
        self._add_time("search", time.perf_counter() - started)

    def on_build_error(self, *, error: Exception) -> None:
        # A page that failed to render left the switch on.
        self.own_markdown.now = False
        # This build, and each build it ran inside (whose own errors come
        # next, when there is nothing left to stop).
        while True:
            self._stop_gate_worker()
            # MkDocs leaves what it wrote before a failure; unchecked, it must go.
            if self.writing and self.site_dir is not None:
                withdraw(self.site_dir)
            if not self.outer_builds:
                break
            vars(self).update(self.outer_builds.pop())
        self.in_build = False
        if self.after_failed_language is not None:
            self.after_failed_language()
        self._ready_for_next_build()

    def _stop_gate_worker(self) -> None:
        worker, self.gate_worker = self.gate_worker, None
        if worker is not None:
            worker.stop()
        self._remove_exports_folder()
        self._remove_page_sources()

    def _remove_page_sources(self) -> None:
        sources, self.page_sources = self.page_sources, None
        if sources is not None:
            sources.remove()

    def _remove_exports_folder(self) -> None:
        exports, self.exports_elsewhere = self.exports_elsewhere, None
        if exports is not None:
            exports.remove()

    # -- serve: rebuild when the study or its templates change --------------------

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        assert self.settings is not None
        # The study's own catalogues write the pages' words, as templates do.
        watched = (self.settings.codebook, self.settings.templates, self.settings.translations)
        for folder in watched:
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        return server

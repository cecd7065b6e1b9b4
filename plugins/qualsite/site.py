"""One study made ready for a site: loaded, checked, published and rendered.

Both adapters (the MkDocs plugin and ``qualsite check``) go through here, so a
check and a build can never disagree about what is wrong. Everything that can
fail is tried here, before MkDocs writes anything: loading, the embeds of
every page (expanded once on trial), the templates, the figure.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from . import i18n
from .checklists import standard_in_english
from .content import ContentFile, discover_content
from .counting import counted
from .dates import build_date
from .errors import (
    Location,
    Problem,
    Problems,
    QualsiteError,
    Severity,
    StudyError,
    display_path,
)
from .exports import Paper, exports_for, make_exports
from .guard import DenyList, ScanResult, check_waiver, guard, open_deny_list
from .guard.gate import GatePolicy
from .guard.redact import redactor
from .guard.review import check_review
from .guard.scan_memo import PREVIEW_SCANS
from .guard.withheld import withdrawn_named, withheld
from .guard.worker import Parts, WorkerFailed, WrittenFiles
from .history import (
    CodebookChanges,
    Version,
    history_across,
    history_texts,
    read_tagged_versions,
)
from .render import GeneratedPage, SiteRenderer, SiteUrls, check_pages, make_environment
from .render.embeds import Embed, EmbedTargets, expand_embeds, read_page
from .render.excerpt_memo import PREVIEW_CELLS, PREVIEW_MEMO
from .render.figure import FigureError
from .render.pages import GeneratedFile
from .render.paging import DEFAULT_PER_PAGE
from .render.rigour import Place, locate_checklist
from .render.templates import check_template_files, template_dirs, template_failure
from .render.urls import ASSETS_DIR, PRINT_PAGE, forget_addresses
from .study import Study
from .study.integrity import check_integrity
from .study.loader import YAML_SUFFIXES, read_codebook
from .study.raw import RawStudy
from .yaml_source import remember_parses


@dataclass(frozen=True, slots=True)
class SiteSettings:
    codebook: Path
    templates: Path
    docs_dir: Path
    use_directory_urls: bool = True
    participant_pages: bool = False
    figure_cache: Path | None = None  # None: lay the figure out on every build
    site_dir: Path | None = None
    project_dir: Path | None = None  # the folder of mkdocs.yml
    config_file: Path | None = None  # mkdocs.yml, whose every value the guard reads
    #: The theme's custom_dir: its templates print on every page, like ours.
    theme_overrides: Path | None = None
    deny_list: Path | None = None
    #: No deny-list is an error, not a warning of strict builds.
    deny_list_required: bool = False
    #: Why the study has no deny-list, when it has no real identifier to deny.
    deny_list_waiver: str | None = None
    strict: bool = False  # personal-data patterns are errors, not warnings
    #: A preview (``mkdocs serve``) publishes nothing: building it without a
    #: deny-list, or with texts not yet reviewed, is not a warning.
    previewing: bool = False
    #: The user's files in docs_dir, as MkDocs lists them (None: find them here).
    content: tuple[ContentFile, ...] | None = None
    excerpts_per_page: int = DEFAULT_PER_PAGE
    print_excerpts: str = "auto"  # "all", "illustrative", or by the study's size
    #: The site's name (mkdocs.yml's site_name): how the site itself is cited.
    site_name: str | None = None
    #: The participant by category and co-occurrence matrices, their pages,
    #: CSVs and Print section (off: a small study's counts may identify).
    matrices: bool = True
    #: The paper of the Word exports.
    paper: Paper = Paper.A4
    #: The site's address (mkdocs.yml's site_url), which the checklist's
    #: exports give as each item's location.
    site_url: str | None = None
    #: An item of the reporting checklist not yet addressed is an error,
    #: not a warning (the plugin's ``checklist_complete`` option).
    checklist_complete: bool = False
    #: The site's Markdown has attr_list: a heading's ``{#id}`` is its anchor.
    attr_list: bool = False
    #: A "How the codebook changed" page across the study repository's
    #: tagged versions (the plugin's ``codebook_history`` option).
    codebook_history: bool = False
    #: The language every published word is in (the theme's, or the
    #: plugin's ``language`` option), and the study's own catalogues.
    language: str = "en"
    translations: Path | None = None
    #: Days of the study repository's commits, which a plugin of the site
    #: prints (git-revision-date-localized): dates the site shows by design.
    commit_days: frozenset[str] = frozenset()
    #: The site has a lightbox for images (mkdocs-glightbox): the figure
    #: is offered to it as an image too.
    lightbox: bool = False
    #: Pages published from another file in this build: a page's
    #: translation, when the site is built once per language
    #: (mkdocs-static-i18n), as (the page's path in docs_dir, the file).
    page_versions: tuple[tuple[str, Path], ...] = ()


class Helper(Protocol):
    """Another process that does part of the work while this one does the
    rest (the output gate's workers, :class:`.guard.worker.BuildWorkers`)."""

    def use(self, policy: GatePolicy) -> None: ...

    def run(self, job: Callable[..., Any], *arguments: Any) -> int: ...

    def job_result(self, number: int) -> Any: ...

    def no_more_jobs(self) -> None: ...


@dataclass(frozen=True, slots=True)
class DeferredExports:
    """The exports a build left to another process to make."""

    paths: tuple[str, ...]  # as published
    #: The helper's job that makes them (:func:`exports_job`), from the
    #: codebook as the build read it, or not at all.
    job: int


@dataclass
class PreparedSite:
    study: Study  # everything, withdrawn included (for the check's summary)
    published: Study  # what every output is made from
    renderer: SiteRenderer
    pages: list[GeneratedPage]
    files: list[GeneratedFile]
    warnings: list[Problem] = field(default_factory=list)
    #: How many identifiers the deny-list held (None: no deny-list was given).
    deny_list_entries: int | None = None
    #: What the output gate needs to check the finished site.
    gate_policy: GatePolicy = field(default_factory=lambda: GatePolicy(None))
    #: Seconds spent in each phase (for the benchmark, benchmarks/bench_build.py).
    timings: dict[str, float] = field(default_factory=dict)
    #: The exports not in ``files``, left to another process (exports_elsewhere).
    deferred_exports: DeferredExports | None = None
    #: What is left to do that stops nothing (checklist items not yet
    #: addressed): a build mentions it, ``qualsite check`` warns of it.
    reminders: list[Problem] = field(default_factory=list)

    @property
    def embed_targets(self) -> EmbedTargets:
        return published_targets(self.published)


def prepare_site(
    settings: SiteSettings,
    helper: Helper | None = None,
    exports_folder: Path | None = None,
    keep_page: Callable[[GeneratedPage], GeneratedPage] | None = None,
) -> PreparedSite:
    """Load, check and render; raises StudyError listing every problem.

    A ``helper`` reads the study too, as this process does, and renders the
    matrices' pages meanwhile; it is given the gate's policy as soon as the
    study is checked. Given an ``exports_folder`` too (which the caller
    removes once the site is written), it then makes the exports there while
    this process renders the pages (``deferred_exports``,
    :func:`exports_job`). Whatever it cannot do is done here, as without it.
    Each page made is handed to ``keep_page`` at once (to be written out:
    :meth:`SiteRenderer.pages`)."""
    problems = Problems()
    clock = _Clock()
    if settings.site_dir is not None:
        unsafe = unsafe_site_dir(settings.site_dir, settings)
        if unsafe:
            problems.error(Location(display_path(settings.site_dir)), unsafe)
    _check_codebook_outside_pages(settings, problems)
    language = _site_language(settings, problems)
    deny = open_deny_list(
        settings.deny_list,
        problems,
        strict=settings.strict and not settings.previewing,
        required=settings.deny_list_required,
        waiver=settings.deny_list_waiver,
        docs_dir=settings.docs_dir,
        project_dir=settings.project_dir,
        where=Location(display_path(settings.config_file)) if settings.config_file else None,
    )
    # From here on no message repeats an identifier, even one it quotes.
    problems.redact_with(redactor(deny))
    before = None
    if helper is not None:
        helper.run(read_study_job, settings)
        before = codebook_digest(settings.codebook)
    raw = read_codebook(settings.codebook, problems)
    # The codebook did not change while it was read: another process that
    # reads the same bytes makes the same pages and exports.
    read_as = None
    if before is not None and codebook_digest(settings.codebook) == before:
        read_as = before
    matrices_job = None
    # Under mkdocs serve the helper draws the matrices and this process the
    # pages of their excerpts, most of which it kept from the last build.
    which = "counts" if settings.previewing else "all"
    if helper is not None and read_as is not None and settings.matrices:
        matrices_job = helper.run(matrix_pages_job, settings, read_as, which)
    clock.lap("load")
    study = check_integrity(raw, settings.codebook, problems)
    published = study.published() if study is not None else None
    content = settings.content
    if content is None:
        content = discover_content(settings.docs_dir)
    problems.extend(check_pages(content, embed_targets(raw, published)))
    problems.extend(check_template_files(settings.templates))
    reminder = None
    places: dict[int, Place] = {}
    if published is not None:
        places, misplaced = locate_checklist(
            published,
            content,
            attr_list=settings.attr_list,
            versions=dict(settings.page_versions),
        )
        problems.extend(misplaced)
        reminder = _check_checklist(published, problems, complete=settings.checklist_complete)
    clock.lap("validate")
    scanned = ScanResult()
    if published is not None:
        scanned = guard(
            published,
            content,
            problems,
            deny=deny,
            strict=settings.strict,
            config_file=settings.config_file,
            template_folders=[
                folder for folder in (settings.templates, settings.theme_overrides) if folder
            ],
            when=build_date(),
            # Under mkdocs serve the next build looks again only in new texts.
            memo=PREVIEW_SCANS if settings.previewing else None,
        )
        if study is not None:  # as it is whenever there is a published view
            problems.extend(withdrawn_named(study, published))
        if not settings.previewing:
            check_review(published, problems, strict=settings.strict)
        if deny is None and settings.deny_list_waiver:
            check_waiver(published, problems, where=settings.config_file)
    history = None
    if settings.codebook_history and published is not None and not problems.errors:
        history = _codebook_history(settings, problems)
        if history is not None:
            _check_history_texts(history, deny, problems)
            # The page dates each version by its commit, by design.
            scanned.approved |= {
                f"date:{version.date}" for pair in history for version in pair[:2] if version.date
            }
    scanned.approved |= {f"date:{day}" for day in settings.commit_days}
    clock.lap("guard")
    problems.raise_for_errors()
    assert study is not None and published is not None  # no errors: the study was built

    policy = GatePolicy(
        deny,
        frozenset(scanned.approved),
        forbidden=never_published(settings),
        withheld=withheld(study, published),
        scoped={path: frozenset(keys) for path, keys in scanned.scoped.items()},
    )
    deferred = None
    if helper is not None:
        # Now, not once the pages are made: the helper makes and checks the
        # downloads while this process makes the pages, where it used to sit
        # idle (a rebuild under qualsite serve at 10,000 excerpts then
        # waited 0.7 s for them; now 0.3 s).
        helper.use(policy)
        if exports_folder is not None and read_as is not None:
            job = helper.run(exports_job, settings, read_as, exports_folder)
            deferred = DeferredExports(tuple(e.path for e in exports_for(published)), job)
        # The helper lets go of its copy of the study once these are done.
        helper.no_more_jobs()
    urls = SiteUrls(settings.use_directory_urls)
    renderer = site_renderer(settings, published, urls, places, kept=settings.previewing)
    renderer.history = history
    folders = template_dirs([settings.templates])
    try:
        _ = renderer.figure_files  # laid out (or taken from the cache) here, timed alone
        clock.lap("figure")
        pages = renderer.pages(
            partial(_matrix_pages, renderer, helper, matrices_job, which)
            if helper is not None and matrices_job is not None
            else None,
            keep=keep_page,
        )
        exports = [] if deferred else make_exports(renderer, settings.paper)
        files = [*exports, *renderer.files()]
        _try_embeds(renderer, content)
    except StudyError:
        raise
    except FigureError as error:
        assert published.model is not None
        raise StudyError([Problem(published.model.origin.location, str(error))]) from None
    except Exception as error:
        problem = template_failure(error, folders)
        if problem is None:
            raise  # not the user's template: a bug in qualsite, shown as one
        raise StudyError([problem]) from None
    # The deferred exports land where they would have: nothing else may.
    placeholders = [GeneratedFile(path, b"") for path in deferred.paths] if deferred else []
    problems.extend(output_clashes(content, pages, [*files, *placeholders], urls))
    forget_addresses()
    clock.lap("generate")
    figure = renderer.figure_files
    if figure is not None and published.model is not None:
        for message in figure.messages:
            problems.warning(published.model.origin.location, f"Graphviz: {message}")
    problems.raise_for_errors()
    entries = len(deny) if deny is not None else None
    return PreparedSite(
        study,
        published,
        renderer,
        pages,
        files,
        problems.warnings,
        entries,
        policy,
        clock.laps,
        deferred,
        [
            *([reminder] if reminder is not None else []),
            *(Problem(_translations_location(settings), note) for note in language.notes),
            *scanned.notes,
        ],
    )


def _site_language(settings: SiteSettings, problems: Problems) -> i18n.SiteLanguage:
    """Load the site's language and make it the one every page and export
    is written in (English if its catalogue has errors: nothing is built)."""
    try:
        language = i18n.load_language(settings.language, settings.translations)
    except StudyError as error:
        problems.extend(error.problems)
        language = i18n.english()
    i18n.activate(language)
    return language


def _translations_location(settings: SiteSettings) -> Location:
    if settings.translations is not None:
        return Location(display_path(settings.translations))
    return Location(display_path(settings.config_file or Path("mkdocs.yml")))


def _codebook_history(
    settings: SiteSettings, problems: Problems
) -> list[tuple[Version, Version, CodebookChanges]] | None:
    """Each tagged version of the codebook compared with the next, and the
    last with this one, under this version's withdrawals."""
    try:
        versions = read_tagged_versions(settings.codebook)
    except QualsiteError as error:
        where = Location(display_path(settings.config_file)) if settings.config_file else None
        problems.error(
            where or Location(display_path(settings.codebook)),
            f"codebook_history is on, but the tagged versions cannot be compared: {error}",
        )
        return None
    return history_across(versions)


def _check_history_texts(
    history: Sequence[tuple[Version, Version, CodebookChanges]],
    deny: DenyList | None,
    problems: Problems,
) -> None:
    """The names, definitions and reasons of earlier versions, which the
    page shows, against today's deny-list: an old tag cannot be changed, so
    the message says where the text is and what can be done."""
    if deny is None:
        return
    for old, new, changes in history:
        for what, text in history_texts(changes):
            if deny.find(text):
                problems.error(
                    Location(f"codebook_history, from {old.label} to {new.label}"),
                    f"{what} holds an identifier from the deny-list ({deny.shown_path}); "
                    "an earlier version cannot be changed, so the page cannot show this "
                    "comparison: turn codebook_history off in mkdocs.yml",
                )


def _check_checklist(study: Study, problems: Problems, *, complete: bool) -> Problem | None:
    """The items not yet addressed are an error with ``checklist_complete``, and else a reminder
    (returned): a build mentions it, ``qualsite check`` warns of it, and
    neither stops for it, since a study reports its checklist as it is
    written up."""
    if study.checklist is None:
        return None
    # A message to the researcher: the items' topics in English, as the message is.
    found = standard_in_english(study.checklist.standard)
    assert found is not None  # the loader checked it
    missing = [item for item in found.items if study.checklist.entry(item.number) is None]
    if not missing:
        return None
    listed = "; ".join(f"{item.number} {item.topic}" for item in missing)
    message = (
        f"{counted(len(missing), 'item')} of {found.key} not yet addressed: {listed}. "
        "Add each to the checklist with where the site reports it, or with "
        "'not_applicable:' and why"
    )
    if complete:
        problems.error(study.checklist.origin.location, message + " (checklist_complete is on)")
        return None
    return Problem(study.checklist.origin.location, message, Severity.WARNING)


def site_renderer(
    settings: SiteSettings,
    published: Study,
    urls: SiteUrls,
    places: Mapping[int, Place] | None = None,
    *,
    kept: bool = False,
) -> SiteRenderer:
    """The renderer of the published study (``places``: where the checklist's
    items are reported, as :func:`prepare_site` found them; found here for
    another process's renderer)."""
    if places is None and published.checklist is not None:
        content = settings.content
        if content is None:
            content = discover_content(settings.docs_dir)
        places = locate_checklist(
            published,
            content,
            attr_list=settings.attr_list,
            versions=dict(settings.page_versions),
        )[0]
    return SiteRenderer(
        published,
        urls=urls,
        environment=make_environment([settings.templates]),
        participant_pages=settings.participant_pages,
        figure_cache=settings.figure_cache,
        excerpts_per_page=settings.excerpts_per_page,
        print_excerpts=settings.print_excerpts,
        offered=[export.offered for export in exports_for(published)],
        site_name=settings.site_name,
        matrices=settings.matrices,
        checklist_places=places,
        site_url=settings.site_url,
        lightbox=settings.lightbox,
        # Under mkdocs serve, the HTML of each excerpt and matrix cell is kept
        # for the next build, which draws again only those a save changed.
        excerpt_memo=PREVIEW_MEMO if kept else None,
        cell_memo=PREVIEW_CELLS if kept else None,
    )


def codebook_digest(codebook: Path) -> bytes:
    """What tells two readings of the codebook apart: each YAML file under
    it, by its path and its bytes."""
    digest = hashlib.blake2b(digest_size=32)
    if codebook.is_dir():
        for path in sorted(
            p for p in codebook.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
        ):
            name = path.relative_to(codebook).as_posix().encode("utf-8", "surrogateescape")
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
                name += b"\0unreadable"
            digest.update(len(name).to_bytes(8, "big") + name)
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


def _matrix_pages(
    renderer: SiteRenderer, helper: Helper, job: int, which: str
) -> Sequence[GeneratedPage]:
    """The matrices' pages: those the helper rendered (``which``: "all", or
    the "counts", the rest rendered here), or else all rendered here."""
    try:
        made = helper.job_result(job)
    except WorkerFailed:
        made = None  # the build says so when it asks the helper for its checks
    if made is None:
        return renderer.matrix_pages()
    return made if which == "all" else [*made, *renderer.matrix_pages("excerpts")]


# -- jobs for a helper: each run in the helper's process (as its own) ---------------------

#: In a helper's process: the study it read, rendered as the build renders
#: it, under the codebook's digest when it was read (:func:`read_study_job`).
_READ: dict[tuple[Path, bytes, str], SiteRenderer] = {}


def read_codebook_job(settings: SiteSettings) -> None:
    """Read the codebook ahead of a build (a spare worker under ``mkdocs
    serve``, while the preview waits for a save), keeping each file's parse
    and records under its bytes: the build's read then reads again only the
    files that changed since (:func:`.yaml_source.read_yaml`). Nothing is
    kept of the study itself, nor reported."""
    remember_parses(True)
    read_codebook(settings.codebook, Problems())


def read_study_job(settings: SiteSettings) -> None:
    """Read the study now, as the build does, for the jobs to come."""
    _study_as_read(settings, None)


def _study_as_read(settings: SiteSettings, codebook: bytes | None) -> SiteRenderer | None:
    """The study as the build read it (``codebook``: its digest when the
    build read it), ready to render; None when the codebook has changed
    since, or cannot be read without errors."""
    digest = codebook_digest(settings.codebook)
    if codebook is not None and digest != codebook:
        return None
    # This process writes in the build's language too (its catalogues were
    # checked by the build, which stops before any job's result is used).
    try:
        i18n.activate(i18n.load_language(settings.language, settings.translations))
    except StudyError:
        return None
    key = (settings.codebook, digest, settings.language)
    if key not in _READ:
        _READ.clear()
        problems = Problems()
        raw = read_codebook(settings.codebook, problems)
        study = check_integrity(raw, settings.codebook, problems)
        if study is None or problems.errors or codebook_digest(settings.codebook) != digest:
            return None
        urls = SiteUrls(settings.use_directory_urls)
        _READ[key] = site_renderer(settings, study.published(), urls)
    return _READ[key]


def matrix_pages_job(settings: SiteSettings, codebook: bytes, which: str = "all") -> Parts | None:
    """The matrices' pages (``which``: as :meth:`SiteRenderer.matrix_pages`),
    from the study as the build read it, each handed back as it is drawn
    (None when the codebook changed since: the build renders them itself)."""
    renderer = _study_as_read(settings, codebook)
    return Parts(renderer.each_matrix_page(which)) if renderer is not None else None


def exports_job(settings: SiteSettings, codebook: bytes, folder: Path) -> WrittenFiles | None:
    """The study's exports, written under ``folder``, from the study as the
    build read it (None when the codebook changed since: the build then
    makes the exports itself, from the study it checked)."""
    renderer = _study_as_read(settings, codebook)
    if renderer is None:
        return None
    made = []
    for export in make_exports(renderer, settings.paper):
        file = folder / export.path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(export.content)
        made.append((export.path, file))
    _READ.clear()  # the last job of a build
    return WrittenFiles(tuple(made))


def never_published(settings: SiteSettings) -> tuple[Path, ...]:
    """The files no site may hold a copy of: the codebook's YAML files (all
    of them, not only those qualsite reads) and the deny-list."""
    found: list[Path] = []
    if settings.codebook.is_dir():
        found += sorted(
            p for p in settings.codebook.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
        )
    if settings.deny_list is not None and settings.deny_list.is_file():
        found.append(settings.deny_list)
    return tuple(found)


def _check_codebook_outside_pages(settings: SiteSettings, problems: Problems) -> None:
    """MkDocs copies every file of docs_dir into the site as it is: a codebook
    there would be published raw, withdrawn participants included."""
    codebook, docs = settings.codebook.resolve(), settings.docs_dir.resolve()
    if codebook == docs or docs in codebook.parents:
        problems.error(
            Location(display_path(settings.codebook)),
            "the codebook is inside the pages folder (docs_dir), so MkDocs would publish its "
            "YAML files as they are, withdrawn participants and unpublished excerpts "
            "included; move it out of docs_dir (beside mkdocs.yml, as codebook/) and set the "
            "plugin's 'codebook' option to it",
        )


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.laps[phase] = self.laps.get(phase, 0.0) + now - self._last
        self._last = now


def _try_embeds(renderer: SiteRenderer, content: Sequence[ContentFile]) -> None:
    """Expand every page's embeds once, so that a failing template stops the
    build here rather than half-way through MkDocs' rendering."""
    targets = published_targets(renderer.study)
    for page in content:
        markdown = read_page(page) if page.is_page else None
        if isinstance(markdown, str):
            expand_embeds(
                markdown,
                shown_path=display_path(page.path),
                first_line=1,
                render=partial(_render_embed, renderer, page.src_uri),
                targets=targets,
            )


def _render_embed(renderer: SiteRenderer, page_src: str, embed: Embed) -> str:
    return renderer.embed(embed, page_src)


def output_clashes(
    content: Sequence[ContentFile],
    pages: Sequence[GeneratedPage],
    files: Sequence[GeneratedFile],
    urls: SiteUrls,
) -> list[Problem]:
    """A file of the user's that would land where a generated one does.

    Either would silently replace the other, so both are refused: compared by
    output path, ``content/categories.md`` clashes with the generated
    ``categories/index.md`` when directory URLs are on.
    """
    generated: dict[str, str] = {urls.dest_path(p.src_path): p.src_path for p in pages}
    generated.update({f.path: f.path for f in files})
    # Added by the adapter, not the renderer: the Print page, and the folder
    # of qualsite's stylesheet and offline scripts.
    generated[urls.dest_path(PRINT_PAGE)] = PRINT_PAGE
    problems = []
    for item in content:
        dest = urls.dest_path(item.src_uri) if item.is_page else item.src_uri
        if dest.startswith(f"{ASSETS_DIR}/"):
            problems.append(
                Problem(
                    Location(display_path(item.path)),
                    f"this file would be published under {ASSETS_DIR}/, the folder of "
                    "qualsite's own stylesheet and scripts; move it to another folder",
                )
            )
        elif dest in generated:
            problems.append(
                Problem(
                    Location(display_path(item.path)),
                    f"this file would be published at {dest}, where qualsite puts its "
                    f"generated {generated[dest]}; rename or move it",
                )
            )
    return problems


def unsafe_site_dir(site_dir: Path, settings: SiteSettings) -> str | None:
    """Why building into ``site_dir`` would destroy the study, if it would.

    A build empties its site folder (or, with ``qualsite build``, replaces it),
    so the folder must neither be nor hold any of the study's own folders.
    """
    protected: Mapping[str, Path | None] = {
        "codebook": settings.codebook,
        "template folder": settings.templates,
        "pages folder (docs_dir)": settings.docs_dir,
        "project folder": settings.project_dir,
    }
    site = site_dir.resolve()
    for name, folder in protected.items():
        if folder is None:
            continue
        folder = folder.resolve()
        if site == folder or site in folder.parents:
            return (
                f"the site folder holds the study's {name} ({display_path(folder)}), which "
                "a build would delete; set site_dir to a folder of its own, such as 'site'"
            )
    return None


def embed_targets(raw: RawStudy, published: Study | None) -> EmbedTargets:
    """What pages may embed: the published study, or (when the codebook has
    errors) every id that was read, so that pages are still checked."""
    if published is not None:
        return published_targets(published)
    return EmbedTargets(
        categories=frozenset(raw.category_ids_seen),
        excerpts=frozenset(e.id for e in (*raw.excerpts, *raw.dropped_excerpts)),
        tables=frozenset(n for t in raw.tables if isinstance(n := t.get("number"), int)),
        figures=frozenset({raw.model.get("number", 1)} if raw.model is not None else ()),
        lenient=True,
        unreadable=frozenset(raw.failed_files),
    )


def published_targets(published: Study) -> EmbedTargets:
    return EmbedTargets(
        categories=frozenset(published.categories_by_id),
        excerpts=frozenset(published.excerpts_by_id),
        tables=frozenset(t.number for t in published.tables),
        figures=frozenset({published.model.number} if published.model else ()),
    )

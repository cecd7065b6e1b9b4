"""One study made ready for a site: loaded, checked, published and rendered.

Both adapters (the MkDocs plugin and ``qualsite check``) go through here, so a
check and a build can never disagree about what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .errors import Location, Problem, Problems, display_path
from .render import GeneratedPage, SiteRenderer, SiteUrls, check_pages, make_environment
from .render.pages import GeneratedFile
from .render.embeds import EmbedTargets
from .study import Study
from .study.integrity import check_integrity
from .study.loader import RawStudy, read_codebook


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
    )


def published_targets(published: Study) -> EmbedTargets:
    return EmbedTargets(
        categories=frozenset(published.categories_by_id),
        excerpts=frozenset(published.excerpts_by_id),
        tables=frozenset(t.number for t in published.tables),
        figures=frozenset({published.model.number} if published.model else ()),
    )


@dataclass(frozen=True, slots=True)
class SiteSettings:
    codebook: Path
    templates: Path
    docs_dir: Path
    use_directory_urls: bool = True
    participant_pages: bool = False
    figure_cache: Path | None = None  # None: lay the figure out on every build


@dataclass
class PreparedSite:
    study: Study  # everything, withdrawn included (for the check's summary)
    published: Study  # what every output is made from
    renderer: SiteRenderer
    pages: list[GeneratedPage]
    files: list[GeneratedFile]
    warnings: list[Problem] = field(default_factory=list)

    @property
    def embed_targets(self) -> EmbedTargets:
        return published_targets(self.published)


def prepare_site(settings: SiteSettings) -> PreparedSite:
    """Load, check and render; raises StudyError listing every problem."""
    problems = Problems()
    raw = read_codebook(settings.codebook, problems)
    study = check_integrity(raw, settings.codebook, problems)
    published = study.published() if study is not None else None
    problems.extend(check_pages(settings.docs_dir, embed_targets(raw, published)))
    problems.raise_for_errors()
    assert study is not None and published is not None  # no errors: the study was built
    renderer = SiteRenderer(
        published,
        urls=SiteUrls(settings.use_directory_urls),
        environment=make_environment([settings.templates]),
        participant_pages=settings.participant_pages,
        figure_cache=settings.figure_cache,
    )
    try:
        pages = renderer.pages()
    except jinja2.TemplateSyntaxError as error:
        where = Path(error.filename) if error.filename else settings.templates
        problems.error(
            Location(display_path(where), error.lineno), f"template error: {error.message}"
        )
        problems.raise_for_errors()
        raise  # unreachable: an error was just recorded
    except jinja2.TemplateError as error:
        # A template override that uses a name qualsite does not provide.
        problems.error(Location(display_path(settings.templates)), f"template error: {error}")
        problems.raise_for_errors()
        raise
    for page in pages:
        # A page of the user's own at a generated page's path would be
        # silently replaced; better to say so.
        clash = settings.docs_dir / page.src_path
        if clash.exists():
            problems.error(
                Location(display_path(clash)),
                f"this page has the path of a page qualsite generates ({page.src_path}); "
                "rename or move it",
            )
    files = renderer.files()
    figure = renderer.figure_files
    if figure is not None and published.model is not None:
        for message in figure.messages:
            problems.warning(published.model.origin.location, f"Graphviz: {message}")
    problems.raise_for_errors()
    return PreparedSite(study, published, renderer, pages, files, problems.warnings)

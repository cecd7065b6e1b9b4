"""The plugin's options in ``mkdocs.yml``, validated by MkDocs' own config
machinery, which reports a wrong type with what was expected and found."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files

from ..content import ContentFile
from ..exports import Paper
from ..guard import deny_list_from_environment
from ..render.paging import DEFAULT_PER_PAGE
from ..site import SiteSettings
from .language_builds import language_build, page_versions
from .revision_dates import commit_days, prints_commit_dates


class _PaperChoice(c.Choice[str]):
    """``a4`` or ``letter`` in any case: people write "A4"."""

    def run_validation(self, value: object) -> str:
        if isinstance(value, str) and value.lower() in self.choices:
            return value.lower()
        return super().run_validation(value)  # the error names the value as written


class QualsiteConfig(Config):
    codebook = c.Type(str, default="codebook")
    """Folder of the study's YAML files, relative to mkdocs.yml."""

    templates = c.Type(str, default="site_templates")
    """Folder of the study's template overrides, relative to mkdocs.yml."""

    participant_pages = c.Type(bool, default=False)
    """One page per participant. Off by default: one person's words gathered
    on one page are easier to recognise."""

    deny_list = c.Optional(c.Type(str))
    """A plain-text file of real names, places and services that must never be
    published, one a line, relative to mkdocs.yml; keep it outside the
    study's folder. The QUALSITE_DENY_LIST environment variable wins."""

    deny_list_waiver = c.Optional(c.Type(str))
    """Why this study has no deny-list (its text is invented, say): a strict
    build without one then does not warn. Not for a study of real people."""

    deny_list_required = c.Type(bool, default=False)
    """Refuse to build without a deny-list (by default a strict build only
    warns, which stops it, and any other build says so)."""

    offline = c.Type(bool, default=False)
    """A site that works from file:// with no network (qualsite bundle sets it):
    no directory URLs, and search without a server or a CDN."""

    excerpts_per_page = c.Type(int, default=DEFAULT_PER_PAGE)
    """The most excerpts a page shows: a category with more has further pages
    of them, and a category whose sub-categories have more links to their
    pages instead of showing their excerpts."""

    print_excerpts = c.Choice(("auto", "all", "illustrative"), default="auto")
    """Which excerpts the Print page shows: all, or for each category those
    marked ``illustrates`` (else its first); ``auto`` shows all up to 500."""

    matrices = c.Type(bool, default=True)
    """A participant by category matrix and a category co-occurrence matrix,
    with CSV downloads, in the navigation and on the Print page. Turn them off
    when a small study's counts could identify someone."""

    paper = _PaperChoice(Paper.names(), default=Paper.A4.value)
    """The paper of the Word exports: ``a4`` or ``letter`` (US Letter). The
    LaTeX export has none: it takes the paper of the document that inputs it."""

    checklist_complete = c.Type(bool, default=False)
    """Every item of the reporting checklist (codebook/checklist.yml) must be
    addressed: an item left out is an error, not a warning."""

    codebook_history = c.Type(bool, default=False)
    """A "How the codebook changed" page: each tagged version of the study's
    git repository compared with the next, and the last with this one."""

    language = c.Optional(c.Type(str))
    """The language of every word qualsite writes ("de", "fr", "pt-BR"): by
    default the theme's ``language``. For a theme without that setting."""

    translations = c.Type(str, default="translations")
    """Folder of the study's own catalogues (``<language>.po``), relative to
    mkdocs.yml: a language qualsite does not ship, or better wording of one
    it does."""

    shareable_project = c.Type(bool, default=False)
    """The project folder holds nothing confidential (an invented example,
    say), so Material's ``info`` plugin may zip it for a bug report. Without
    it, a build with that plugin enabled is refused."""

    cache_dir = c.Optional(c.Type(str))
    """Where rendered figures are kept between builds, relative to mkdocs.yml
    (default .cache/qualsite); an empty string turns the folder cache off."""


def site_settings(
    config: MkDocsConfig, options: QualsiteConfig, *, previewing: bool = False
) -> SiteSettings:
    """The core's settings from MkDocs' config and the plugin's options
    (``previewing``: for ``mkdocs serve``, which publishes nothing).

    Paths in the options are relative to mkdocs.yml, like MkDocs' own. The
    user's files are listed by MkDocs itself, so the checks see exactly the
    pages MkDocs will build (its Markdown suffixes, its ``exclude_docs``).
    """
    root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    content = tuple(
        ContentFile(f.src_uri, Path(f.abs_src_path))
        for f in get_files(config)
        if f.abs_src_path is not None and not f.inclusion.is_excluded()
    )
    return SiteSettings(
        codebook=root / options.codebook,
        templates=root / options.templates,
        docs_dir=Path(config.docs_dir),
        use_directory_urls=config.use_directory_urls,
        participant_pages=options.participant_pages,
        figure_cache=_cache_folder(root, options.cache_dir),
        site_dir=Path(config.site_dir),
        project_dir=root,
        config_file=Path(config.config_file_path) if config.config_file_path else None,
        theme_overrides=Path(config.theme.custom_dir) if config.theme.custom_dir else None,
        content=content,
        deny_list=deny_list_path(root, options.deny_list),
        deny_list_required=options.deny_list_required,
        deny_list_waiver=options.deny_list_waiver,
        strict=bool(config.strict),
        previewing=previewing,
        excerpts_per_page=options.excerpts_per_page,
        print_excerpts=options.print_excerpts,
        site_name=config.site_name,
        matrices=options.matrices,
        paper=Paper(options.paper),
        # mkdocs serve puts its own address in site_url: no published copy
        # of the checklist may give it as where an item is reported.
        site_url=(config.site_url or None) if not previewing else None,
        checklist_complete=options.checklist_complete,
        codebook_history=options.codebook_history,
        attr_list=_has_attr_list(config),
        language=site_language(config, options),
        translations=root / options.translations,
        commit_days=commit_days(root) if prints_commit_dates(config) else frozenset(),
        lightbox="glightbox" in config.plugins,
        page_versions=tuple(sorted(page_versions(config, content).items())),
    )


def site_language(config: MkDocsConfig, options: QualsiteConfig) -> str:
    """The language mkdocs-static-i18n is building, if it builds the site;
    else the plugin's ``language`` option, else the theme's (Material's
    ``language``, or ``locale`` in MkDocs' own themes), else English."""
    languages = language_build(config)
    if languages is not None:
        return languages.language
    if options.language:
        return options.language
    return theme_language(config) or "en"


def theme_language(config: MkDocsConfig) -> str | None:
    for key in ("language", "locale"):
        value = config.theme.get(key) if config.theme else None
        if value:
            return str(value)
    return None


def language_mismatch(config: MkDocsConfig, options: QualsiteConfig) -> str | None:
    """Why the plugin's ``language`` should match the theme's: the page's
    ``lang`` (which screen readers pronounce by) is the theme's."""
    theme = theme_language(config)
    if not options.language or not theme or language_build(config) is not None:
        return None
    if options.language.replace("_", "-").lower() == theme.replace("_", "-").lower():
        return None
    return (
        f"plugins: qualsite: language is {options.language!r} but the theme's is {theme!r}: "
        f"every page would say it is in {theme!r} (its lang attribute, which screen readers "
        "pronounce by) while qualsite's words are not; set the theme's language instead, "
        "or the same in both"
    )


#: Markdown extensions that give a heading the ``{#id}`` written after it.
_ATTR_LIST = frozenset({"attr_list", "extra", "pymdownx.extra"})


def _has_attr_list(config: MkDocsConfig) -> bool:
    names = {str(name).removeprefix("markdown.extensions.") for name in config.markdown_extensions}
    return bool(names & _ATTR_LIST)


def deny_list_path(root: Path, option: str | None) -> Path | None:
    """The deny-list: the environment variable first (so that CI can point at
    a secret file), then the plugin option, relative to mkdocs.yml. Raises
    QualsiteError for a variable that is set but empty."""
    from_environment = deny_list_from_environment()
    if from_environment is not None:
        return from_environment
    return (root / Path(option).expanduser()) if option else None


def _cache_folder(root: Path, option: str | None) -> Path | None:
    if option is None:
        return root / ".cache" / "qualsite"
    return root / option if option else None

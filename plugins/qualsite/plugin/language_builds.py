"""mkdocs-static-i18n: one site built once per language, qualsite's pages
in each.

The plugin builds the default language, then, from its own
``on_post_build``, builds every other language again with the same
configuration object, each into a folder of the site named by its locale
(``de/``). qualsite takes part in each of those builds:

- the language of qualsite's words is the build's, not the theme's (the
  plugin sets the theme's language after qualsite has read it);
- qualsite adds its pages after the plugin has sorted the files by language
  (it keeps only files from ``docs_dir``, and would drop qualsite's), each
  into the build's folder, so that the German pages link to German
  downloads;
- a build inside a build keeps the outer build's state aside, and hands it
  back once done (qualsite.plugin.hooks);
- qualsite adds its footer, stylesheet and navigation sections after the
  plugin has set a language's own values (its ``copyright``, its ``nav``),
  and puts back what it added before the next build adds it again
  (:class:`ConfigOriginals`);
- each excerpt is in the search index once, on the default language's page,
  as the plugin keeps one entry of a text that two languages share;
- if a later language's build fails, what the plugin leaves undone is put
  back (:func:`undo_after_failed_language`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs import utils as mkdocs_utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ..content import ContentFile

#: The plugin's name in ``mkdocs.yml``.
PLUGIN = "i18n"

LANGUAGE_OPTION_REFUSED = (
    "plugins: qualsite: language: leave it out when mkdocs-static-i18n (plugins: i18n) "
    "builds the site: it builds the site once for each of its languages, and qualsite "
    "writes each build's pages in that build's language"
)

FOLDER_STRUCTURE_REFUSED = (
    "plugins: i18n: docs_structure: folder: qualsite does not work with it yet (its links "
    "to your pages, from the checklist and the Print page, take a page's path in docs_dir "
    "for its address, which this structure changes); use the default structure, 'suffix', "
    "with each translation beside its page (index.de.md beside index.md)"
)


@dataclass(frozen=True, slots=True)
class LanguageBuild:
    """The language mkdocs-static-i18n is building now."""

    language: str
    #: Where its pages go in the site: "" for the default language, else "de/".
    folder: str


def language_build(config: MkDocsConfig) -> LanguageBuild | None:
    """The language being built, if mkdocs-static-i18n builds the site.

    Read from the plugin, not the theme: qualsite's ``on_config`` runs before
    the plugin's, which sets the theme's language for the build."""
    plugin: Any = config.plugins.get(PLUGIN)
    default = getattr(plugin, "default_language", None)
    if not isinstance(default, str):
        return None
    # None until the plugin's first on_config: the first build is the default's.
    current = getattr(plugin, "current_language", None) or default
    return LanguageBuild(str(current), "" if current == default else f"{current}/")


def language_build_refusal(config: MkDocsConfig, language_option: str | None) -> str | None:
    """Why qualsite cannot build this site once per language, if it cannot."""
    if language_option:
        return LANGUAGE_OPTION_REFUSED
    plugin: Any = config.plugins.get(PLUGIN)
    if getattr(plugin.config, "docs_structure", "suffix") == "folder":
        return FOLDER_STRUCTURE_REFUSED
    return None


def one_search_language(config: MkDocsConfig) -> bool:
    """Whether mkdocs-static-i18n keeps only the default language's entry of
    a text that is the same in two languages (its ``reconfigure_search``)."""
    plugin: Any = config.plugins.get(PLUGIN)
    return bool(getattr(plugin.config, "reconfigure_search", True))


def undo_after_failed_language(config: MkDocsConfig) -> Callable[[], None]:
    """What puts mkdocs-static-i18n back as it was before this build, called
    if a later language's build fails: the plugin stops MkDocs from emptying
    the site folder while it builds them, and undoes that only once every
    language is built. Left so, every later build in the process (each
    rebuild of ``qualsite serve``) would keep the files of the one before,
    a withdrawn participant's pages among them."""
    plugin: Any = config.plugins.get(PLUGIN)
    clean_directory = mkdocs_utils.clean_directory

    def undo() -> None:
        mkdocs_utils.clean_directory = clean_directory
        if plugin is not None and hasattr(plugin, "building"):
            plugin.building = False

    return undo


#: What qualsite adds to in ``on_config`` (its other changes, the search
#: script among the polyfills say, are made once however often they are made).
_CHANGED = ("copyright", "extra_css", "extra_javascript", "nav")


class ConfigOriginals:
    """The configuration values qualsite changes, as they were before its
    first change, to put back when the same configuration object is built
    again (mkdocs-static-i18n's later languages): else each build would add
    the footer, the stylesheet and the sections once more."""

    def __init__(self) -> None:
        self._config: MkDocsConfig | None = None
        self._values: dict[str, Any] = {}

    def restore_or_keep(self, config: MkDocsConfig) -> None:
        if config is self._config:
            for key, value in self._values.items():
                config[key] = copy.deepcopy(value)
            return
        self._config = config
        self._values = {key: copy.deepcopy(config[key]) for key in _CHANGED}


@dataclass(frozen=True, slots=True)
class _OtherLanguage:
    """A page's version in another language, as mkdocs-static-i18n's
    language menu and sitemap read one: by its URL (its page is built by
    that language's build)."""

    url: str
    page: None = None


def present_as_language_version(config: MkDocsConfig, pages: list[File]) -> None:
    """Give qualsite's pages of this language build what mkdocs-static-i18n
    gives each page of docs_dir: its language, and its versions in the
    others (qualsite makes every page in every language, at the same path
    in that language's folder). Without them the theme's language menu on
    a generated page would link to the last page of docs_dir's versions,
    and the plugin's sitemap would leave qualsite's pages out."""
    plugin: Any = config.plugins.get(PLUGIN)
    build = language_build(config)
    if plugin is None or build is None:
        return
    default = plugin.default_language
    languages = [str(language) for language in plugin.build_languages]
    for file in pages:
        address = file.url.removeprefix(build.folder)
        file.locale = build.language  # type: ignore[attr-defined]
        file.locale_alternate_of = build.language  # type: ignore[attr-defined]
        file.localization = None  # type: ignore[attr-defined]
        file.norm_src_uri = file.src_uri  # type: ignore[attr-defined]
        file.alternates = {  # type: ignore[attr-defined]
            language: (
                file
                if language == build.language
                else _OtherLanguage(address if language == default else f"{language}/{address}")
            )
            for language in languages
        }
    listed = getattr(plugin, "i18n_files_per_language", None)
    if isinstance(listed, dict):
        listed.setdefault(build.language, []).extend(pages)


def page_versions(config: MkDocsConfig, content: Iterable[ContentFile]) -> dict[str, Path]:
    """The pages of docs_dir that this language build publishes from their
    translation (``index.md`` from ``index.de.md``), by the original's path."""
    plugin: Any = config.plugins.get(PLUGIN)
    build = language_build(config)
    if plugin is None or build is None:
        return {}
    languages = {str(language) for language in plugin.all_languages}
    versions: dict[str, Path] = {}
    for file in content:
        if not file.is_page:
            continue
        path = PurePosixPath(file.src_uri)
        stem = PurePosixPath(path.stem)
        language = stem.suffix.removeprefix(".")
        if language == build.language and language in languages:
            versions[str(path.with_name(stem.stem + path.suffix))] = file.path
    return versions

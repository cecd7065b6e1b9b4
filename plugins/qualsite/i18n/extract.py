"""Finding every message qualsite publishes, as Babel's extractor does, and
keeping the catalogues in step with them (``make messages``).

Messages come from the Python code (``_``, ``ngettext``, ``pgettext``,
``N_``) and from the templates (Jinja's i18n extension), so one template
file, ``qualsite.pot``, lists them all; each language's ``.po`` is that
template translated. A test fails when a shipped language lacks one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import PoFileError, write_po

from .. import __version__
from ..checklists import messages as checklist_messages
from ..errors import QualsiteError, display_path
from ..render.templates import builtin_templates_dir
from .catalogues import (
    DOMAIN,
    SHIPPED_LANGUAGES,
    parse_language,
    read_catalogue,
    shipped_catalogue,
    template_path,
    translated,
)

_PACKAGE = Path(__file__).resolve().parent.parent

_PYTHON = [("**.py", "python")]
_TEMPLATES = [("**.j2", "jinja2")]
_JINJA_OPTIONS = {"**.j2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}


@dataclass(frozen=True, slots=True)
class Found:
    """One message where the code or a template says it."""

    message: str | tuple[str, str]
    context: str | None
    where: str  # "render/pages.py:143"
    comments: tuple[str, ...]


def found_messages() -> Iterator[Found]:
    """Every marked message of qualsite's code and its own templates."""
    for folder, method_map, options, prefix in (
        (_PACKAGE, _PYTHON, {}, "qualsite/"),
        (builtin_templates_dir(), _TEMPLATES, _JINJA_OPTIONS, "site_templates/"),
    ):
        for filename, line, message, comments, context in extract_from_dir(
            str(folder),
            method_map=method_map,
            options_map=options,
            keywords=DEFAULT_KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            text: str | tuple[str, str] = (
                (message[0], message[1]) if isinstance(message, tuple) else message
            )
            yield Found(text, context, f"{prefix}{filename}:{line}", tuple(comments))
    # The reporting checklists' wording is data, published like any message.
    for filename, line, wording in checklist_messages():
        yield Found(wording, None, f"qualsite/checklists/{filename}:{line}", ())


def template_catalogue() -> Catalog:
    """The template: every message, with where it comes from."""
    catalogue = Catalog(
        domain=DOMAIN,
        project="qualsite",
        version=__version__,
        msgid_bugs_address="",
        copyright_holder="The qualsite developers",
        header_comment=(
            "# The messages qualsite publishes, to translate.\n"
            "# Copy this file to translations/<language>.po beside mkdocs.yml\n"
            "# (or run: qualsite translation <language>), and fill in each msgstr.\n"
        ),
    )
    for found in found_messages():
        path, _, line = found.where.rpartition(":")
        catalogue.add(
            found.message,
            None,
            locations=[(path, int(line))],
            auto_comments=found.comments,
            context=found.context,
        )
    return catalogue


def catalogue_text(catalogue: Catalog, *, locations: bool = True) -> str:
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalogue,
        width=88,
        omit_header=False,
        no_location=not locations,
        sort_output=True,
        include_previous=False,
    )
    return buffer.getvalue().decode("utf-8")


@dataclass(frozen=True, slots=True)
class StudyCatalogue:
    path: Path
    messages: int
    untranslated: int
    created: bool
    #: qualsite ships this language: an empty msgstr keeps qualsite's wording.
    shipped: bool = False


def write_study_catalogue(language: str, folder: Path) -> StudyCatalogue:
    """Write (or bring up to date) a study's catalogue for ``language``:
    ``folder/<language>.po``, every message of this qualsite in it.

    A new file has every message untranslated; for a language qualsite
    ships, each says qualsite's wording in a comment (to reword a few), with the language's plural
    rule in its header (Babel knows it). An existing file keeps its
    translations, gains the messages added since, and loses those gone.
    Raises QualsiteError for a language code Babel does not know.
    """
    locale = parse_language(language)
    if locale is None:
        raise QualsiteError(
            f"{language!r} is not a language code; write one such as 'it', 'pl' or 'pt-BR'"
        )
    path = folder / f"{language}.po"
    created = not path.is_file()
    shipped: Path | None = None
    if created:
        catalogue = Catalog(
            locale=locale,
            domain=DOMAIN,
            project="qualsite",
            version=__version__,
            fuzzy=False,
            header_comment=(
                f"# The words qualsite publishes, in {locale.english_name}, for this study.\n"
                "# qualsite uses this file for a site whose language is "
                f"{language};\n# run `qualsite translation {language}` again after "
                "upgrading qualsite to add new messages.\n"
            ),
        )
        shipped = next(
            (
                shipped_catalogue(n)
                for n in (str(locale), locale.language)
                if shipped_catalogue(n).is_file()
            ),
            None,
        )
    else:
        try:
            catalogue = read_catalogue(path, locale)
        except PoFileError as error:
            raise QualsiteError(f"{display_path(path)}: cannot be read: {error}") from None
    catalogue.update(template_catalogue(), no_fuzzy_matching=True)
    catalogue.obsolete.clear()
    if created and shipped is not None:
        _show_shipped_wording(catalogue, read_catalogue(shipped, locale))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(catalogue_text(catalogue, locations=False), encoding="utf-8")
    messages = [m for m in catalogue if m.id]
    untranslated = sum(1 for m in messages if not translated(m) or m.fuzzy)
    ships = any(shipped_catalogue(n).is_file() for n in (str(locale), locale.language))
    return StudyCatalogue(path, len(messages), untranslated, created, ships)


def _show_shipped_wording(catalogue: Catalog, shipped: Catalog) -> None:
    # For a language qualsite ships, each message says qualsite's wording in
    # a comment and stays empty: an empty msgstr falls back to qualsite's
    # (and to its later corrections), so only the messages a study rewords
    # are its own.
    for message in catalogue:
        if not message.id:
            continue
        theirs = shipped.get(message.id, context=message.context)
        if theirs is None or not translated(theirs):
            continue
        forms = theirs.string if isinstance(theirs.string, (tuple, list)) else (theirs.string,)
        message.auto_comments = [
            *message.auto_comments,
            *(f"qualsite: {form}" for form in forms),
        ]


def update_shipped(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> list[Path]:
    """Write the template and bring each shipped catalogue up to it: new
    messages are added untranslated, and messages no longer used dropped."""
    template = template_catalogue()
    written = [template_path()]
    template_path().parent.mkdir(parents=True, exist_ok=True)
    template_path().write_text(catalogue_text(template), encoding="utf-8")
    for language in languages:
        if language == "en":
            continue
        path = shipped_catalogue(language)
        if path.is_file():
            catalogue = read_catalogue(path, language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=language, domain=DOMAIN, project="qualsite")
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        path.write_text(catalogue_text(catalogue, locations=False), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # make messages
    for written in update_shipped():
        print(f"wrote {written}")

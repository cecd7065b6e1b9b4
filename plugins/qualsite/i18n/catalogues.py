"""Reading gettext catalogues: qualsite's own and a study's.

Catalogues are kept as ``.po`` files, which translators edit, and compiled
in memory when a build starts: with a few hundred messages that takes a few
milliseconds, and a study's translation needs no compile step of its own.
Babel reads and checks them (its parser reports the line of a broken entry,
and its checkers a placeholder that a translation dropped or misspelt).
"""

from __future__ import annotations

import gettext
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from ..errors import Location, Problem, StudyError, display_path

#: The gettext domain of every message qualsite publishes.
DOMAIN = "qualsite"

#: The languages qualsite ships complete catalogues for (English is the
#: messages as written in the code).
SHIPPED_LANGUAGES = ("en", "de", "fr", "es", "nl")


def shipped_folder() -> Path:
    """qualsite's catalogues, in the standard gettext layout
    (``<language>/LC_MESSAGES/qualsite.po``), with the template beside them."""
    return Path(__file__).resolve().parent / "locale"


def template_path() -> Path:
    return shipped_folder() / f"{DOMAIN}.pot"


def shipped_catalogue(language: str) -> Path:
    return shipped_folder() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class SiteLanguage:
    """The language a site is written in, and the catalogues that say it."""

    code: str  # as the site names it: "de", "pt-BR"
    locale: Locale  # for dates and plural rules
    translations: gettext.NullTranslations
    #: The catalogues used, the study's first: what a build reports.
    catalogues: tuple[Path, ...] = ()
    #: Said once per build: a language with no catalogue, say.
    notes: tuple[str, ...] = field(default=())
    #: What its translations were made from (the compiled catalogues, in
    #: order), as a digest: two languages with the same code and fingerprint
    #: translate every message alike.
    fingerprint: bytes = b""

    @property
    def tag(self) -> str:
        """The BCP 47 tag with a region, as Word's ``w:lang`` wants it:
        "de-DE", "en-US", "pt-BR" (a language alone gets its likeliest one)."""
        territory = self.locale.territory or _likely_territory(self.locale)
        return f"{self.locale.language}-{territory}" if territory else self.locale.language

    @property
    def english(self) -> bool:
        return self.locale.language == "en"


def english() -> SiteLanguage:
    """Messages as written in the code; dates as in British English
    ("12 March 2024"), which qualsite has always written."""
    return SiteLanguage("en", Locale.parse("en_GB"), gettext.NullTranslations())


def parse_language(code: str) -> Locale | None:
    """The locale of a language code as themes write it ("de", "pt-BR",
    "zh_Hant"), or None when Babel knows no such language."""
    try:
        return Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def load_language(code: str, study_translations: Path | None = None) -> SiteLanguage:
    """The site's language: the study's catalogue for it (from the folder
    ``study_translations``), falling back to qualsite's, then to English.

    Raises StudyError for a code Babel does not know, or a study catalogue
    that cannot be used (broken syntax, a placeholder a translation lacks),
    with its file and line.
    """
    locale = parse_language(code)
    if locale is None:
        raise StudyError(
            [
                Problem(
                    Location("mkdocs.yml"),
                    f"the site's language {code!r} is not a language code qualsite knows; "
                    "write one such as 'en', 'de', 'fr' or 'pt-BR' (theme: language, or "
                    "the qualsite plugin's language option)",
                )
            ]
        )
    if locale.language == "en" and not _study_files(code, locale, study_translations):
        base = english()
        return SiteLanguage(code, base.locale if code == "en" else locale, base.translations)

    chain: list[gettext.GNUTranslations] = []
    used: list[Path] = []
    problems: list[Problem] = []
    fingerprint = hashlib.blake2b(digest_size=16)
    for path in _study_files(code, locale, study_translations):
        compiled = _compile(path, locale, problems, fingerprint)
        if compiled is not None:
            chain.append(compiled)
            used.append(path)
    for candidate in _language_names(code, locale):
        path = shipped_catalogue(candidate)
        if path.is_file():
            compiled = _compile(path, locale, problems, fingerprint)
            if compiled is not None:
                chain.append(compiled)
                used.append(path)
            break
    if problems:
        raise StudyError(problems)

    notes: tuple[str, ...] = ()
    translations: gettext.NullTranslations
    if not chain:
        notes = (
            f"qualsite has no translation into {locale.english_name} ({code}): its pages "
            f"are in English. To translate them, run `qualsite translation {code}` beside "
            f"mkdocs.yml and fill in translations/{code}.po (see the README, 'Languages').",
        )
        translations = gettext.NullTranslations()
    else:
        translations = chain[0]
        for fallback in chain[1:]:
            translations.add_fallback(fallback)
    return SiteLanguage(code, locale, translations, tuple(used), notes, fingerprint.digest())


def _language_names(code: str, locale: Locale) -> list[str]:
    """The catalogue names to try, most specific first: "pt_BR", then "pt"."""
    full = str(locale)
    names = [full, code.replace("-", "_"), locale.language]
    return list(dict.fromkeys(names))


def _study_files(code: str, locale: Locale, folder: Path | None) -> list[Path]:
    """A study's catalogues for the language, the most specific first: a
    regional one ("pt-BR.po") falls back to the language's ("pt.po")."""
    if folder is None or not folder.is_dir():
        return []
    found: list[Path] = []
    for name in [code, *_language_names(code, locale)]:
        for spelling in dict.fromkeys([name, name.replace("_", "-")]):
            path = folder / f"{spelling}.po"
            if path.is_file() and path not in found:
                found.append(path)
    return found


def read_catalogue(path: Path, locale: Locale | str | None = None) -> Catalog:
    """A catalogue as Babel reads it; raises PoFileError at a broken entry."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a BOM some editors write
    return read_po(io.BytesIO(data), locale=locale, domain=DOMAIN, abort_invalid=True)


#: A line of a catalogue: a keyword and a quoted string, or a quoted
#: continuation (a string holds no unescaped quote).
_ENTRY_LINE = re.compile(
    r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"$'
)


def syntax_problems(text: str, where: str) -> list[Problem]:
    """Lines Babel's lenient parser would misread: a msgstr without its
    quotes loses its first and last letters there, silently."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _ENTRY_LINE.match(stripped):
            continue
        problems.append(
            Problem(
                Location(where, number),
                "this line is not a catalogue entry: write a keyword (msgid, msgstr, "
                'msgstr[0], ...) and its text in double quotes, as msgstr "Kategorien", '
                'with any quote inside the text written \\"',
            )
        )
    return problems


def _compile(
    path: Path, locale: Locale, problems: list[Problem], fingerprint: hashlib.blake2b
) -> gettext.GNUTranslations | None:
    """The catalogue at ``path``, ready to translate (its compiled bytes
    added to ``fingerprint``), or None with its problems added."""
    where = display_path(path)
    try:
        broken = syntax_problems(path.read_text(encoding="utf-8-sig"), where)
        if broken:
            problems.extend(broken)
            return None
        catalogue = read_catalogue(path, locale)
    except PoFileError as error:
        line = getattr(error, "lineno", 0) or 0
        problems.append(
            Problem(
                Location(where, line),
                f"this translation catalogue cannot be read: {_first_line(error)}; "
                "check the quotes of the entry (each msgid and msgstr line is a quoted string)",
            )
        )
        return None
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(Location(where), f"cannot read the catalogue: {error}"))
        return None
    found = problems_in(catalogue, where)
    if found:
        problems.extend(found)
        return None
    usable = Catalog(locale=locale, domain=DOMAIN)
    usable.mime_headers = catalogue.mime_headers
    for message in list(catalogue)[1:]:
        if translated(message) and not message.fuzzy:
            usable[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, usable)
    compiled = buffer.getvalue()
    fingerprint.update(len(compiled).to_bytes(8, "big") + compiled)
    buffer.seek(0)
    try:
        return gettext.GNUTranslations(buffer)
    except ValueError as error:  # gettext could not read the Plural-Forms rule
        text = path.read_text(encoding="utf-8-sig")
        line = next((n for n, row in enumerate(text.splitlines(), 1) if "Plural-Forms:" in row), 0)
        problems.append(
            Problem(
                Location(where, line),
                f"the Plural-Forms header cannot be read ({error}); write it as "
                f'"Plural-Forms: {_plural_header(locale)}\\n", '
                f"the rule for {locale.english_name}",
            )
        )
        return None


def _plural_header(locale: Locale) -> str:
    return Catalog(locale=locale).plural_forms


def problems_in(catalogue: Catalog, where: str) -> list[Problem]:
    """What would break a page: a translation whose placeholders differ from
    the message's, or the wrong number of plural forms for its language."""
    problems: list[Problem] = []
    for message in catalogue:
        if message.id and translated(message) and not message.fuzzy:
            unfilled = _cannot_fill(message)
            if unfilled:
                problems.append(
                    Problem(
                        Location(where, message.lineno or 0),
                        f"the translation of {_shown(message.id)} cannot be filled in "
                        f"({unfilled}); write a percent sign in a message with "
                        "placeholders as %%, and keep each %(name)s as it is",
                    )
                )
    for message, errors in catalogue.check():
        if message.fuzzy or not translated(message):
            continue
        for error in errors:
            problems.append(
                Problem(
                    Location(where, message.lineno or 0),
                    f"the translation of {_shown(message.id)} does not fit it: {error}; "
                    "a translation keeps every %(name)s placeholder of the message",
                )
            )
    return problems


_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


def _cannot_fill(message: Message) -> str | None:
    """Why a translation would fail where its placeholders are filled in
    (a lone "%", say), or None. A message without placeholders is never
    filled in, so its "%" is a percent sign."""
    ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
    values: dict[str, object] = {}
    for english in ids:
        for name, kind in _PLACEHOLDER.findall(english):
            values[name] = 1 if kind == "d" else "x"
    if not values:
        return None
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    for string in strings:
        try:
            str(string) % values
        except (ValueError, TypeError, KeyError) as error:
            return f"{type(error).__name__}: {error}"
    return None


def translated(message: Message) -> bool:
    # A plural message counts only with every form filled in: a form left
    # empty would print nothing where a count belongs.
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return bool(message.string)


def _shown(message_id: object) -> str:
    first = message_id[0] if isinstance(message_id, (tuple, list)) else message_id
    return repr(str(first))


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


_LIKELY_FALLBACK = {"en": "US"}


def _likely_territory(locale: Locale) -> str | None:
    """The region a language is most likely meant for, by CLDR's likely
    subtags: "de" is de-DE, and "zh-Hant" (with its script) zh-TW."""
    from babel.core import get_global

    likely_subtags = get_global("likely_subtags")
    keys = [f"{locale.language}_{locale.script}"] if locale.script else []
    for key in [*keys, locale.language]:
        likely = likely_subtags.get(key)
        if isinstance(likely, str):
            for part in likely.split("_")[1:]:
                if part.isalpha() and part.isupper() and len(part) == 2:
                    return str(part)
    return _LIKELY_FALLBACK.get(locale.language)

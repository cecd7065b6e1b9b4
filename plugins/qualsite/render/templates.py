"""The Jinja2 environment that draws generated pages.

Templates are looked up first in the study's own ``site_templates/`` and then
in qualsite's, so a study overrides any template (or the stylesheet) by
dropping a file of the same name into its folder, as with mkdocstrings.
"""

from __future__ import annotations

import functools
import re
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import i18n
from ..counting import counted
from ..errors import Location, Problem, display_path
from . import text


def builtin_templates_dir() -> Path:
    """qualsite's own templates.

    In a wheel they are packaged as ``qualsite/site_templates``. In a source
    checkout (an editable install) they sit at the top of the repository, two
    folders above this package, where the project layout keeps them.
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / "site_templates"
    if packaged.is_dir():
        return packaged
    source_checkout = package.parent.parent / "site_templates"
    if source_checkout.is_dir():
        return source_checkout
    raise FileNotFoundError(
        f"qualsite's templates are missing (looked in {packaged} and {source_checkout}); "
        "reinstall qualsite"
    )


def template_dirs(overrides: Sequence[Path]) -> list[Path]:
    """The folders searched for templates, the study's first."""
    builtin = builtin_templates_dir()
    dirs = [d for d in overrides if d.is_dir() and d.resolve() != builtin]
    return [*dirs, builtin]


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates as Jinja compiled them, for this process's next builds
    (``mkdocs serve``): each build makes a new environment, which would
    compile every template again. Jinja keys each by the template's name
    and file and uses it only for the same source (its checksum); every
    environment here is made alike (:func:`make_environment`), so code
    compiled for one is right for all."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # kept only if the source is the same

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def make_environment(overrides: Sequence[Path] = ()) -> jinja2.Environment:
    environment = jinja2.Environment(
        # Messages are marked as Babel's extractor reads them: {{ _("...") }}.
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_COMPILED,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(overrides)]),
        # Every template writes HTML (inside Markdown pages), so escaping is on
        # everywhere; Markdown contexts add the `md` filter.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_escape_plain_text,
    )
    environment.filters["e"] = text.html
    environment.filters["escape"] = text.html
    environment.filters["md"] = text.markdown_inline
    environment.filters["paragraphs"] = text.paragraphs
    environment.filters["long_date"] = i18n.long_date
    environment.filters["month_year"] = i18n.month_year
    environment.filters["first_words"] = text.first_words
    environment.filters["excerpt"] = text.excerpt_paragraphs
    environment.filters["excerpt_inline"] = text.excerpt_inline
    environment.filters["yaml_string"] = text.yaml_string
    environment.filters["bibtex_block"] = _bibtex_block
    # The active language is read at each call, so one environment serves
    # every build. qualsite's own callables fill the %(name)s placeholders
    # (Jinja's newstyle ones would leave "{{" in a value for a later pass).
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
        newstyle=False,
    )
    # Kept for a study's template overrides written before messages were
    # translated: "1 excerpt", "2 excerpts", in English only.
    environment.filters["counted"] = counted
    environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": True}
    return environment


# Markdown punctuation in a translation is written as character references,
# which read the same in HTML and in Markdown, where they format nothing: a
# catalogue holds text, and a study's own catalogue may not add a link, an
# image or a table to a page (nor may a line break end a heading).
_AS_TEXT = str.maketrans({c: f"&#{ord(c)};" for c in "*_`[]!#|~"})
_LIST_MARKER = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")


# Any run of spaces and line breaks is one space (a line break would end a
# heading); a no-break space is kept, as French writes one before ":" and ";".
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")

# Kept as they are: placeholders ("%(not_addressed)s") and the references
# that escaping made ("&#39;").
_KEPT = re.compile(r"(%\([a-z_]+\)[sd]|&#?\w+;)")


# A translation is one of the catalogue's messages: made text once each,
# not once for each of a big study's 10,000 excerpts.
@functools.lru_cache(maxsize=2048)
def _as_text(translation: str) -> str:
    escaped = str(text.html(_BREAKABLE_SPACE.sub(" ", translation).strip(" ")))
    escaped = "".join(
        part if index % 2 else part.translate(_AS_TEXT)
        for index, part in enumerate(_KEPT.split(escaped))
    )
    # "'" needs no reference in text or in a double-quoted attribute (every
    # attribute qualsite writes is one), and English keeps it as written.
    escaped = escaped.replace("&#39;", "'")
    return _LIST_MARKER.sub(
        lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), escaped
    )


def _filled(translation: str, values: dict[str, Any]) -> Markup:
    """A translation, as text, with its placeholders filled: each value is
    escaped as any plain string a template prints, unless it is markup the
    template made (a link)."""
    message = _as_text(translation)
    if not values:
        return Markup(message)  # a message without placeholders has no "%" to read
    safe = {
        name: value if isinstance(value, (Markup, int, float)) else text.html(value)
        for name, value in values.items()
    }
    return Markup(message % safe)


def _gettext(message: str, **values: Any) -> Markup:
    return _filled(i18n._(message), values)


def _pgettext(context: str, message: str, **values: Any) -> Markup:
    return _filled(i18n.pgettext(context, message), values)


def _ngettext(singular: str, plural: str, count: int, **values: Any) -> Markup:
    return _filled(i18n.ngettext(singular, plural, count), {"num": count, **values})


def _npgettext(context: str, singular: str, plural: str, count: int, **values: Any) -> Markup:
    return _filled(i18n.npgettext(context, singular, plural, count), {"num": count, **values})


def _bibtex_block(entry: str) -> Markup:
    """A BibTeX entry for a <pre> block. Its "@" is written as a character
    reference: mkdocs-bibtex reads "@misc" in a page's Markdown as a citation
    of an unknown key "misc" (and fails --strict); a reader sees "@"."""
    return Markup(str(text.html(entry)).replace("@", "&#64;"))


def check_template_files(folder: Path) -> list[Problem]:
    """A study's template overrides must be UTF-8 text (Jinja would fail on
    them later without saying which file)."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            line = path.read_bytes().count(b"\n", 0, error.start) + 1
            problems.append(
                Problem(
                    Location(display_path(path), line),
                    "the template is not UTF-8 text; save it with the UTF-8 encoding",
                )
            )
        except OSError as error:
            problems.append(Problem(Location(display_path(path)), f"cannot read: {error.strerror}"))
    return problems


def template_failure(error: BaseException, folders: Sequence[Path]) -> Problem | None:
    """The problem a failing template caused, at its file and line, or None
    when the failure did not come from a template (a bug to report as such).

    Jinja rewrites tracebacks so that frames running template code carry the
    template's file name and line, which is what a user needs to fix it.
    """
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return Problem(
            Location(display_path(Path(error.filename)), error.lineno or 0),
            f"template error: {error.message}",
        )
    roots = [f.resolve() for f in folders if f.is_dir()]
    found: tuple[str, int] | None = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".j2") or any(
            Path(filename).resolve().is_relative_to(r) for r in roots
        ):
            found = (filename, line)
    if found is None:
        return None
    detail = error.message if isinstance(error, jinja2.TemplateError) else str(error)
    return Problem(
        Location(display_path(Path(found[0])), found[1]),
        f"template error: {type(error).__name__}: {detail}",
    )


def _escape_plain_text(value: object) -> object:
    # Autoescaping alone leaves "{{" in a participant's words for a later
    # Jinja pass (mkdocs-macros) to run; every plain string therefore goes
    # through qualsite's own escaping, which also neutralises braces.
    if isinstance(value, str) and not isinstance(value, Markup):
        return text.html(value)
    return value


def read_asset(name: str, overrides: Sequence[Path] = ()) -> bytes:
    """A static file (stylesheet, script) from the first folder that has it."""
    for folder in template_dirs(overrides):
        candidate = folder / name
        if candidate.is_file():
            return candidate.read_bytes()
    raise FileNotFoundError(f"no template folder holds {name}")

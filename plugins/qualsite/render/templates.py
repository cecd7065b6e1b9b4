"""The Jinja2 environment that draws generated pages.

Templates are looked up first in the study's own ``site_templates/`` and then
in qualsite's, so a study overrides any template (or the stylesheet) by
dropping a file of the same name into its folder, as with mkdocstrings.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import i18n
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


def make_environment(overrides: Sequence[Path] = ()) -> jinja2.Environment:
    environment = jinja2.Environment(
        # Messages are marked as Babel's extractor reads them: {{ _("...") }}.
        extensions=["jinja2.ext.i18n"],
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
    # The active language is read at each call, so one environment serves
    # every build; newstyle gettext fills %(name)s placeholders, escaped.
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_translated_text(i18n._),
        ngettext=_translated_text(i18n.ngettext),
        pgettext=_translated_text(i18n.pgettext),
        npgettext=_translated_text(i18n.npgettext),
        newstyle=True,
    )
    environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": True}
    return environment


def _translated_text(translate: Callable[..., str]) -> Callable[..., Markup]:
    """A translation as the template's markup: escaped first, because a
    catalogue holds text (a study's own catalogue is not trusted to write
    HTML, nor "{{" for a later Jinja pass)."""

    def translated(*arguments: Any) -> Markup:
        # "'" needs no reference in text or in a double-quoted attribute (every
        # attribute qualsite writes is one), and English keeps it as written.
        return Markup(str(text.html(translate(*arguments))).replace("&#39;", "'"))

    return translated


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

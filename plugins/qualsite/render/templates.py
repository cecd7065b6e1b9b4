"""The Jinja2 environment that draws generated pages.

Templates are looked up first in the study's own ``site_templates/`` and then
in qualsite's, so a study overrides any template (or the stylesheet) by
dropping a file of the same name into its folder, as with mkdocstrings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

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
    environment.filters["yaml_string"] = text.yaml_string
    environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": True}
    return environment


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

"""The import's verdict: what ``qualsite check`` will say of the study the
import leaves, worked out before anything is written.

It runs the same checks as a build, with the strictness, deny-list and
options of the ``mkdocs.yml`` the study will have (the one there, or the
one the import writes), read without MkDocs so that the import stays part of
the core.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem, StudyError
from ..guard import deny_list_from_environment
from ..site import SiteSettings, prepare_site


@dataclass(frozen=True)
class Verdict:
    strict: bool  # as mkdocs.yml asks
    problems: list[Problem]  # errors that stop the check, or its warnings

    @property
    def passes(self) -> bool:
        """What ``qualsite check`` will do: pass, or stop (a warning stops a
        strict check)."""
        return not self.problems or (
            not self.strict and all(p.severity.value == "warning" for p in self.problems)
        )


def verdict(root: Path) -> Verdict:
    """The verdict on the study in ``root`` (a copy of the folder as the
    import will leave it)."""
    options = _mkdocs_options(root / "mkdocs.yml")
    strict = options.get("strict") == "true"
    deny = deny_list_from_environment()
    if deny is None and options.get("deny_list"):
        deny = root / options["deny_list"]
    settings = SiteSettings(
        codebook=root / options.get("codebook", "codebook"),
        templates=root / options.get("templates", "site_templates"),
        docs_dir=root / options.get("docs_dir", "docs"),
        project_dir=root,
        config_file=root / "mkdocs.yml",
        deny_list=deny,
        deny_list_required=options.get("deny_list_required") == "true",
        deny_list_waiver=options.get("deny_list_waiver"),
        strict=strict,
    )
    try:
        site = prepare_site(settings)
    except StudyError as error:
        return Verdict(strict, [*error.problems, *error.warnings])
    return Verdict(strict, site.warnings)


def _mkdocs_options(path: Path) -> dict[str, str]:
    """``strict`` and ``docs_dir`` of mkdocs.yml, and the qualsite plugin's
    options, as text: plugins listed or given as a mapping, and values
    tagged ``!ENV`` read from the environment as MkDocs reads them. (The
    command line loads mkdocs.yml with MkDocs itself instead.)"""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    found: dict[str, str] = {}
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        if key.value in ("strict", "docs_dir"):
            text = _scalar(value)
            if text is not None:
                found[key.value] = text.lower() if key.value == "strict" else text
        if key.value != "plugins":
            continue
        entries: list[tuple[yaml.Node, yaml.Node]] = []
        if isinstance(value, yaml.SequenceNode):
            entries = [
                e for item in value.value if isinstance(item, yaml.MappingNode) for e in item.value
            ]
        elif isinstance(value, yaml.MappingNode):
            entries = list(value.value)
        for name, settings in entries:
            if name.value == "qualsite" and isinstance(settings, yaml.MappingNode):
                for option, setting in settings.value:
                    text = _scalar(setting)
                    if text is not None:
                        found[option.value] = text
    return found


def _scalar(node: yaml.Node) -> str | None:
    """A plain value's text; ``!ENV NAME`` or ``!ENV [NAME, ..., default]``
    as MkDocs reads it: the first variable set, else the last item."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "!ENV":
            return os.environ.get(str(node.value))
        return str(node.value)
    if node.tag == "!ENV" and isinstance(node, yaml.SequenceNode):
        items = [str(item.value) for item in node.value if isinstance(item, yaml.ScalarNode)]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
        for name in names:
            if name in os.environ:
                return os.environ[name]
        return default
    return None

"""Writing an imported study as YAML files a researcher can read and edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Severity
from ..lock import LOCK_FILE, lock_text
from ..render.notices import WITHOUT_PLUGIN_NOTE
from ..render.text import markdown_inline
from ..scaffold import FILES as SCAFFOLD
from ..scaffold import PUBLISH_FILES, publish_file_text
from .convert import Converted
from .report import Report
from .verdict import Verdict

HEADER = (
    "# Imported by qualsite from {origin}.\n"
    "# Review every excerpt for anonymisation before publishing: redact what could\n"
    "# identify anyone, then set reviewed: true.\n"
)
#: The first line of every file the import writes: a later import with
#: --force replaces only files that carry it.
MARK = "# Imported by qualsite from "

NOTES_HEADER = (
    "# Texts of the project with no place in the study: its description and\n"
    "# memos, and each source's description, notes and variables. Never\n"
    "# published: the build does not read this file. Copy into a page what\n"
    "# you choose to publish, once it identifies no one.\n"
)

#: The import's account, beside the codebook (never published).
REPORT_FILE = "IMPORT.md"


def import_report(report: Report, verdict: Verdict, into: str) -> str:
    """The import's account, as written to codebook/IMPORT.md (paths in it
    relative to the study's folder, ``into`` as the import was told it)."""
    lines = [
        f"{MARK}{report.origin}.",
        "",
        "What the import made of the project, and what it left out and why.",
        "This file is not published.",
        "",
        "```text",
        *report.lines(),
        "```",
        "",
        "## What qualsite check will say",
        "",
        "```text",
        *(line.replace(f"{into}/", "", 1) for line in verdict_lines(verdict)),
        "```",
        "",
    ]
    return "\n".join(lines)


def verdict_lines(verdict: Verdict) -> list[str]:
    """What ``qualsite check`` will say of the imported study, and what to fix."""
    mode = "strict, as mkdocs.yml asks" if verdict.strict else "not strict"
    if not verdict.problems:
        return [f"qualsite check ({mode}) will pass."]
    errors = sum(p.severity is Severity.ERROR for p in verdict.problems)
    warnings = len(verdict.problems) - errors
    found = " and ".join(
        part
        for part in (
            f"{errors} error(s)" if errors else "",
            f"{warnings} warning(s)" if warnings else "",
        )
        if part
    )
    if verdict.passes:
        head = f"qualsite check ({mode}) will pass, with {found}:"
    elif not errors:
        head = f"qualsite check ({mode}) will stop for {found}, until they are fixed:"
    else:
        head = f"qualsite check ({mode}) will stop for {found}; fix the errors:"
    return [head, *(f"  {problem}" for problem in verdict.problems)]


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, text with line breaks as ``|``,
    and list items indented under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def _file(kind: str, schema_dir: str, origin: str, data: Any) -> str:
    modeline = f"# yaml-language-server: $schema={schema_dir}.schemas/{kind}.schema.json\n"
    return modeline + HEADER.format(origin=origin) + dump(data)


def plan_files(converted: Converted, into: Path) -> dict[Path, str]:
    """Every file of the imported study, by path: the codebook always, the
    rest of a study (mkdocs.yml, a home page) only where it is missing."""
    origin = converted.report.origin
    codebook = into / "codebook"
    files: dict[Path, str] = {
        codebook / "study.yml": _file("study", "", origin, converted.study),
        codebook / "participants.yml": _file(
            "participants", "", origin, {"participants": converted.participants}
        ),
        codebook / "categories.yml": _file(
            "categories", "", origin, {"categories": converted.categories}
        ),
    }
    width = max(2, len(str(len(converted.excerpts))))
    for participant, excerpts in converted.excerpts.items():
        name = f"p{int(participant[1:]):0{width}d}.yml"
        data = {"participant": participant, "kind": "verbatim", "excerpts": excerpts}
        files[codebook / "excerpts" / name] = _file("excerpts", "../", origin, data)
    if converted.model is not None:
        files[codebook / "model.yml"] = _file("model", "", origin, converted.model)
    if converted.sets:
        # Sets have no place in the study format; kept beside it, unread by
        # the build (a dot-file), so that nothing of the project is lost.
        files[codebook / ".refi-sets.yml"] = HEADER.format(origin=origin) + dump(
            {"sets": converted.sets}
        )
    if converted.kept:
        files[codebook / ".refi-notes.yml"] = (
            HEADER.format(origin=origin) + NOTES_HEADER + dump(converted.kept)
        )
    # The import's account; its text is made once the study is checked.
    files[codebook / REPORT_FILE] = ""
    if not (into / "mkdocs.yml").exists():
        # Not the project's name: the theme prints site_name unescaped in
        # every page, and a name from a file may hold anything.
        template = (SCAFFOLD / "mkdocs.yml").read_text(encoding="utf-8")
        files[into / "mkdocs.yml"] = template.replace(
            "site_name: My study", "site_name: Imported study"
        )
    if not (into / "content").exists():
        files[into / "content" / "index.md"] = _home_page(converted)
    if not (into / ".gitignore").exists():
        files[into / ".gitignore"] = (SCAFFOLD / "gitignore").read_text(encoding="utf-8")
    for relative in PUBLISH_FILES:
        if not (into / relative).exists():
            files[into / relative] = publish_file_text(relative)
    if not (into / LOCK_FILE).exists():
        # The versions the study was made with; one already there (from
        # qualsite new, or an earlier import) records the study's own, and stays.
        files[into / LOCK_FILE] = lock_text("qualsite import")
    return files


def _home_page(converted: Converted) -> str:
    origin = markdown_inline(converted.report.origin)  # from the file: escaped
    return (
        "# Imported study\n\n"
        f"{WITHOUT_PLUGIN_NOTE}\n"
        f"This study was imported from {origin} with qualsite. Its excerpts\n"
        "have not yet been reviewed for anonymisation: read each one, redact what\n"
        "could identify anyone, and set `reviewed: true` before you publish the site.\n"
        "Then write this page, and give the site its name in mkdocs.yml.\n"
    )


def reviewed_count(path: Path) -> int:
    """Excerpts a person has marked reviewed in a file (work a --force re-import replaces)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return sum(1 for line in handle if line.strip() == "reviewed: true")
    except (OSError, UnicodeDecodeError):
        return 0


def previous_import(path: Path) -> bool:
    """Was this file written by an earlier import (so --force may replace it)?"""
    try:
        with path.open(encoding="utf-8") as handle:
            return any(line.startswith(MARK) for _, line in zip(range(3), handle, strict=False))
    except (OSError, UnicodeDecodeError):
        return False


def write_files(files: dict[Path, str]) -> list[Path]:
    written = []
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

"""The format reference (FORMAT.md), which travels with qualsite.

Messages about a study's files point to it, so it must be where an installed
qualsite can read it: ``qualsite format [SECTION]`` prints it, or the section
a message names, whether qualsite came from a wheel or a source checkout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import QualsiteError, closest

REFERENCE_NAME = "FORMAT.md"

_HEADING = re.compile(r"(#{2,3}) +(.+?) *#*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: A heading that documents one file kind: `study.yml`, `excerpts/*.yml`.
_FILE_IN_HEADING = re.compile(r"`([a-z]+)(?:\.yml|/\*\.yml)`")


def see_format(section: str) -> str:
    """How a message points to a section of the reference."""
    return f"see `qualsite format {section}`"


def reference_path() -> Path:
    """FORMAT.md as installed: inside the package in a wheel, at the top of
    the repository in a source checkout (an editable install)."""
    package = Path(__file__).resolve().parent
    packaged = package / REFERENCE_NAME
    if packaged.is_file():
        return packaged
    source_checkout = package.parent.parent / REFERENCE_NAME
    if source_checkout.is_file():
        return source_checkout
    raise QualsiteError(
        f"qualsite's format reference is missing (looked in {packaged} and "
        f"{source_checkout}); reinstall qualsite"
    )


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the reference under a level 2 or 3 heading, with the parts below it."""

    name: str  # what `qualsite format NAME` takes: a file kind, or the heading's anchor
    heading: str
    text: str


def sections(reference: str) -> list[Section]:
    """Every section of the reference, in order (headings in code blocks are code)."""
    lines = reference.splitlines()
    starts: list[tuple[int, int, str]] = []  # (line index, level, heading)
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening is not None:
            marker = opening.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            continue
        found_heading = _HEADING.fullmatch(line) if fence is None else None
        if found_heading is not None:
            starts.append((index, len(found_heading.group(1)), found_heading.group(2)))
    found: list[Section] = []
    for position, (start, level, heading) in enumerate(starts):
        end = next((i for i, lvl, _ in starts[position + 1 :] if lvl <= level), len(lines))
        text = "\n".join(lines[start:end]).rstrip() + "\n"
        found.append(Section(_section_name(heading), heading, text))
    return found


def _section_name(heading: str) -> str:
    named_file = _FILE_IN_HEADING.search(heading)
    return named_file.group(1) if named_file else anchor(heading)


def anchor(heading: str) -> str:
    """The heading's anchor as GitHub makes it ("The study's publication" is
    ``the-studys-publication``), so that links into FORMAT.md work as names."""
    text = re.sub(r"[^\w\- ]", "", heading.casefold())
    return text.replace(" ", "-")


def find_section(reference: str, wanted: str) -> Section:
    """The section ``wanted`` names: its name or anchor, the start of one,
    or words of its heading. Raises QualsiteError listing the names."""
    available = sections(reference)
    query = anchor(wanted.strip().removesuffix("/").removesuffix(".yml").replace("_", "-"))
    for matches in (
        [s for s in available if query in (s.name, anchor(s.heading))],
        [s for s in available if s.name.startswith(query) or anchor(s.heading).startswith(query)],
        [s for s in available if set(query.split("-")) <= set(anchor(s.heading).split("-"))],
    ):
        if query and len(matches) >= 1:
            return matches[0]
    names = [s.name for s in available]
    suggestion = closest(query, names)
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    raise QualsiteError(
        f"the format reference has no section '{wanted}'{hint}; its sections are: "
        + ", ".join(names)
    )

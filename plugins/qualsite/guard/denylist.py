"""The identifier deny-list: real names, places and services that must never
appear in the site.

The file is plain text, one identifier a line (blank lines and lines starting
with ``#`` are skipped). It is meant to live outside the study's repository:
it is itself a list of the very identifiers the study must not publish.
Matches are whole words, ignoring case; messages give the line of the
deny-list, never the identifier, since build logs end up in CI systems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem, Problems, display_path

#: An entry shorter than this would match too much to be meant (a stray "a").
MIN_LENGTH = 2

# The typewriter apostrophe and its typographic and look-alike cousins.
_APOSTROPHES = "'\u2019\u2018`"


@dataclass(frozen=True, slots=True)
class DenyMatch:
    deny_line: int  # the line of the deny-list file
    offset: int  # where in the scanned text


class DenyList:
    def __init__(self, path: Path, entries: dict[str, int]) -> None:
        self.path = path
        self.shown_path = display_path(path)
        self._lines = entries  # normalised entry -> line in the file
        if entries:
            # Longest first, so that "St Mary's Hospital" wins over "St Mary's".
            alternatives = sorted(entries, key=len, reverse=True)
            body = "|".join(_pattern(e) for e in alternatives)
            self._regex: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE
            )
        else:
            self._regex = None

    def __len__(self) -> int:
        return len(self._lines)

    def find(self, text: str) -> list[DenyMatch]:
        if self._regex is None:
            return []
        return [
            DenyMatch(self._lines.get(_normalise(m.group(0)), 0), m.start())
            for m in self._regex.finditer(text)
        ]


def _normalise(text: str) -> str:
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "'")
    return " ".join(text.split()).casefold()


def _pattern(entry: str) -> str:
    """A regular expression for one entry: any run of spaces between its
    words, and any apostrophe for an apostrophe."""
    words = [re.escape(word) for word in entry.split(" ")]
    return r"\s+".join(words).replace("'", f"[{_APOSTROPHES}]")


def load_deny_list(path: Path, problems: Problems) -> DenyList | None:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.error(
            Location(shown),
            "the deny-list file does not exist; check the path given in mkdocs.yml "
            "(deny_list) or in QUALSITE_DENY_LIST",
        )
        return None
    except UnicodeDecodeError:
        problems.error(Location(shown), "the deny-list is not UTF-8 text; save it as UTF-8")
        return None
    except OSError as error:
        problems.error(Location(shown), f"cannot read the deny-list: {error.strerror}")
        return None
    entries: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _normalise(line)
        if not entry or entry.startswith("#"):
            continue
        if len(entry) < MIN_LENGTH:
            problems.warning(
                Location(shown, number),
                f"this entry is shorter than {MIN_LENGTH} characters and is ignored",
            )
            continue
        entries.setdefault(entry, number)
    return DenyList(path, entries)


def deny_problem(where: Location, what: str, match: DenyMatch, deny: DenyList) -> Problem:
    return Problem(
        where,
        f"{what} holds an identifier from the deny-list (line {match.deny_line} of "
        f"{deny.shown_path}); remove it or replace it with a redaction such as [name]",
    )

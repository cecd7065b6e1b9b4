"""Problems found in a study, and the exceptions that carry them to the user.

qualsite never shows a Python traceback for a mistake in a user's files: every
check records a :class:`Problem` with the file and line it concerns, checks go
on so that all problems are reported together, and only then is a
:class:`StudyError` raised with the whole list.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a user's file: ``path:line``, or ``path:line:column`` where
    the column helps (a colon in a long line), as editors and terminals read
    it. Line 0 means the whole file; column 0, the whole line."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return (
            f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        )


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.location}: {prefix}{self.message}"


class Problems:
    """Collects problems so that one run reports all of them.

    Once the deny-list is known, :meth:`redact_with` makes sure that no
    message (past or future) repeats an identifier: a message that quotes
    what the user wrote ("'Jane Oakwood' is not a valid participant id")
    would otherwise print it into a build log.
    """

    def __init__(self) -> None:
        self._items: list[Problem] = []
        self._notes: list[str] = []
        self._redact: Callable[[str], str] | None = None

    def error(self, location: Location, message: str) -> None:
        self.extend([Problem(location, message, Severity.ERROR)])

    def warning(self, location: Location, message: str) -> None:
        self.extend([Problem(location, message, Severity.WARNING)])

    def note(self, message: str) -> None:
        """A line for the report that is not a problem of its own, such as the
        checks left out because a file could not be read."""
        self._notes.append(message if self._redact is None else self._redact(message))

    @property
    def notes(self) -> list[str]:
        return list(self._notes)

    def extend(self, problems: Iterable[Problem]) -> None:
        if self._redact is None:
            self._items.extend(problems)
        else:
            self._items.extend(self._redacted(problem) for problem in problems)

    def redact_with(self, redact: Callable[[str], str]) -> None:
        """Pass every message through ``redact`` from now on, and those
        recorded so far too."""
        self._redact = redact
        self._items = [self._redacted(problem) for problem in self._items]
        self._notes = [redact(note) for note in self._notes]

    def _redacted(self, problem: Problem) -> Problem:
        """The problem with its message and its file's path redacted (a file
        can be named after the identifier it holds)."""
        assert self._redact is not None
        message = self._redact(problem.message)
        path = self._redact(problem.location.path)
        if message == problem.message and path == problem.location.path:
            return problem
        return replace(problem, message=message, location=replace(problem.location, path=path))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self._items if p.severity is Severity.WARNING]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raise_for_errors(self) -> None:
        """Raise a :class:`StudyError` listing every error, if there is one
        (and carrying the warnings found so far, for whoever wants them)."""
        if self.errors:
            raise StudyError(self.errors, warnings=self.warnings, notes=self.notes)


class QualsiteError(Exception):
    """An error caused by the user's input, shown as a message, never a traceback."""


class StudyError(QualsiteError):
    """One or more problems in a study's files; nothing may be built."""

    def __init__(
        self,
        problems: Iterable[Problem],
        *,
        outcome: str = "nothing was built",
        warnings: Iterable[Problem] = (),
        notes: Iterable[str] = (),
    ) -> None:
        # Sorted by place so that the report reads top to bottom in each file;
        # the sort is stable, so problems on one line keep the order found.
        unique = dict.fromkeys(problems)  # the same problem found twice is shown once
        self.problems: tuple[Problem, ...] = tuple(
            sorted(unique, key=lambda p: (p.location.path, p.location.line))
        )
        self.outcome = outcome
        #: Warnings found beside the errors: reported after them, so that one
        #: run shows everything there is to fix.
        self.warnings = tuple(dict.fromkeys(w for w in warnings if w not in unique))
        #: What was not checked, and why: said before the count, so that a
        #: reader knows the list may grow once the problems are fixed.
        self.notes = tuple(dict.fromkeys(notes))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [str(problem) for problem in [*self.problems, *self.warnings]]
        lines += self.notes
        also = len(self.warnings)
        and_warnings = f" (and {also} warning{'s' if also != 1 else ''})" if also else ""
        lines.append(
            f"{count} problem{'s' if count != 1 else ''} found{and_warnings}; {self.outcome}."
        )
        return "\n".join(lines)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix for the closest candidate, or ``""``."""
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match is not None else ""


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` is most likely a misspelling of, if any.

    A close spelling first; failing that, the one candidate that holds the
    word as whole parts of it, as an id shortened by hand does
    ('purpose' for 'purpose-and-identity').
    """
    options = list(candidates)
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.7)
    if matches:
        return matches[0]
    parts = _ID_PARTS.split(word.casefold())
    if len(word) < 3 or not all(parts):
        return None
    holding = [c for c in options if _holds_parts(_ID_PARTS.split(c.casefold()), parts)]
    return holding[0] if len(holding) == 1 else None


#: What separates the words of an id or a field name.
_ID_PARTS = re.compile(r"[-_.\s]+")


def _holds_parts(whole: list[str], parts: list[str]) -> bool:
    """True when ``parts`` appear in ``whole`` one after another."""
    size = len(parts)
    return size < len(whole) and any(
        whole[i : i + size] == parts for i in range(len(whole) - size + 1)
    )


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    absolute = Path(os.path.normpath(path.absolute()))  # "study/../x" as "x"
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix() if os.sep == "/" else str(absolute)

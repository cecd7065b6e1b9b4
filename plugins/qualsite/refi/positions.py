"""Where a coded selection starts and ends, as each tool counts.

The REFI-QDA standard counts a selection's positions in Unicode code points.
The tools that write the files do not all do so:

- NVivo counts UTF-16 code units, so every character beyond U+FFFF (an
  emoji, some CJK) before a selection shifts it by one;
- ATLAS.ti counts a Windows line break (CR LF) as one character;
- QualCoder, MAXQDA, Taguette and qc count code points, as the standard says;
  QualCoder and MAXQDA let the user choose line endings on export, so a
  text may reach the file with LF line breaks where its positions were
  counted with CR LF (and XML turns CR LF into LF in a text written inside
  the project).

Positions are therefore read the way the exporting tool writes them, and
then checked against the text: a way of counting that puts selections'
starts and ends on word or line boundaries is right; one that cuts words is
not. When the evidence contradicts the tool's known way, the way that fits
is used, and the import says so.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class LineBreaks(Enum):
    AS_WRITTEN = "as written"
    CRLF_AS_ONE = "a CR LF line break counted as one"
    LF_AS_TWO = "an LF line break counted as two (a CR LF where the positions were counted)"


@dataclass(frozen=True, slots=True)
class Counting:
    """A way of counting positions in a text."""

    utf16: bool = False  # UTF-16 code units, not code points
    lines: LineBreaks = LineBreaks.AS_WRITTEN

    @property
    def description(self) -> str:
        units = "UTF-16 code units" if self.utf16 else "code points"
        if self.lines is LineBreaks.AS_WRITTEN:
            return units
        return f"{units}, {self.lines.value}"


CODE_POINTS = Counting()
UTF16 = Counting(utf16=True)
CRLF_AS_ONE = Counting(lines=LineBreaks.CRLF_AS_ONE)

#: How each tool counts, by a word of its name in the project's ``origin``.
TOOL_COUNTINGS: tuple[tuple[str, Counting], ...] = (
    ("nvivo", UTF16),
    ("atlas", CRLF_AS_ONE),
    ("qualcoder", CODE_POINTS),
    ("maxqda", CODE_POINTS),
    ("taguette", CODE_POINTS),
)


def tool_counting(origin: str | None) -> Counting:
    """How the tool that wrote a project counts (the standard's code points
    for a tool not known to count otherwise)."""
    lowered = (origin or "").casefold()
    for word, counting in TOOL_COUNTINGS:
        if word in lowered:
            return counting
    return CODE_POINTS


class Positions:
    """A text's positions under each way of counting, turned into indices
    of the text as Python holds it (code points)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Characters that some countings count twice: those beyond U+FFFF
        # (two UTF-16 units), and LFs standing alone (once a CR LF).
        self._astral = [] if text.isascii() else [i for i, c in enumerate(text) if c > "\uffff"]
        self._crlf = _indices(text, "\r\n")
        self._lone_lf = [i for i in _indices(text, "\n") if not (i and text[i - 1] == "\r")]
        self._tables: dict[Counting, tuple[list[int], list[int]]] = {}

    def countings(self) -> list[Counting]:
        """The ways of counting that differ for this text (all give the same
        positions in a text of plain characters and no line break)."""
        found = []
        for utf16 in (False, True) if self._astral else (False,):
            found.append(Counting(utf16))
            if self._crlf:
                found.append(Counting(utf16, LineBreaks.CRLF_AS_ONE))
            if self._lone_lf:
                found.append(Counting(utf16, LineBreaks.LF_AS_TWO))
        return found

    def index(self, position: int, counting: Counting) -> int | None:
        """The code point index of ``position`` counted as ``counting``, or
        None where it falls inside a character (between a surrogate pair,
        between a CR and its LF) or outside the text."""
        if position < 0:
            return None
        doubled, collapsed = self._table(counting)
        # Each CR LF counted once before this place: add its LF back.
        units = position + bisect.bisect_left(collapsed, position) if collapsed else position
        before = bisect.bisect_left(doubled, units)
        if before and doubled[before - 1] == units - 1:
            return None  # between the two units of one character
        index = units - before
        return index if index <= len(self.text) else None

    def _table(self, counting: Counting) -> tuple[list[int], list[int]]:
        """For ``counting``: where each character counted twice starts, and
        where each CR LF counted once stands, both in its units."""
        known = self._tables.get(counting)
        if known is None:
            twice = sorted(
                (self._astral if counting.utf16 else [])
                + (self._lone_lf if counting.lines is LineBreaks.LF_AS_TWO else [])
            )
            doubled = [index + rank for rank, index in enumerate(twice)]
            collapsed = []
            if counting.lines is LineBreaks.CRLF_AS_ONE:
                for rank, index in enumerate(self._crlf):
                    collapsed.append(index + bisect.bisect_left(twice, index) - rank)
            known = self._tables[counting] = (doubled, collapsed)
        return known


def _indices(text: str, needle: str) -> list[int]:
    found = []
    start = text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + len(needle))
    return found


def at_boundary(text: str, index: int) -> bool:
    """Whether a selection may start or end at ``index`` without cutting a
    word: at either end of the text, or where a letter or digit does not
    stand on both sides."""
    if index <= 0 or index >= len(text):
        return True
    return not (text[index - 1].isalnum() and text[index].isalnum())


@dataclass(frozen=True, slots=True)
class Fit:
    """How well one way of counting fits a source's selections."""

    counting: Counting
    fitted: int  # selections whose start and end both fall on boundaries


def fit(positions: Positions, selections: Sequence[tuple[int, int]], counting: Counting) -> Fit:
    fitted = 0
    text = positions.text
    for start, end in selections:
        first, last = positions.index(start, counting), positions.index(end, counting)
        if first is None or last is None or not first < last:
            continue
        if at_boundary(text, first) and at_boundary(text, last):
            fitted += 1
    return Fit(counting, fitted)


@dataclass(frozen=True, slots=True)
class Choice:
    """The counting a source's positions are read with, and why."""

    counting: Counting
    expected: Counting  # the exporting tool's
    fitted: int
    expected_fitted: int
    total: int

    @property
    def contradicted(self) -> bool:
        """The evidence chose another counting than the tool's."""
        return self.counting != self.expected


def choose(
    positions: Positions, selections: Sequence[tuple[int, int]], expected: Counting
) -> Choice:
    """The tool's counting, unless another fits the selections clearly
    better: more of them on word and line boundaries, by at least one
    selection in ten (a few odd selections do not overrule what the tool is
    known to do)."""
    total = len(selections)
    expected_fit = fit(positions, selections, expected)
    best = expected_fit
    for counting in positions.countings():
        if counting != expected:
            other = fit(positions, selections, counting)
            if other.fitted > best.fitted:
                best = other
    if best.fitted - expected_fit.fitted >= max(1, total // 10):
        return Choice(best.counting, expected, best.fitted, expected_fit.fitted, total)
    return Choice(expected, expected, expected_fit.fitted, expected_fit.fitted, total)

"""Where a coded selection starts and ends, as each tool counts.

The REFI-QDA standard counts a selection's positions in Unicode code points.
The tools that write the files do not all do so:

- NVivo counts UTF-16 code units, so every character beyond U+FFFF (an
  emoji, some CJK) before a selection shifts it by one;
- ATLAS.ti counts a Windows line break (CR LF) as one character;
- QualCoder, MAXQDA, Taguette and qc count code points, as the standard says
  (QualCoder and MAXQDA let the user choose line endings on export, which
  the counting follows).

Positions are therefore read the way the exporting tool writes them, and
then checked against the text: a reading that puts selections' starts and
ends on word or line boundaries is right; one that cuts words is not. When
the evidence contradicts the tool's known reading, the reading that fits is
used, and the import says so.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Counting(Enum):
    """A way of counting positions in a text."""

    CODE_POINTS = "code points"
    UTF16 = "UTF-16 code units"
    CODE_POINTS_CRLF_ONE = "code points, a CR LF line break counted as one"
    UTF16_CRLF_ONE = "UTF-16 code units, a CR LF line break counted as one"

    @property
    def utf16(self) -> bool:
        return self in (Counting.UTF16, Counting.UTF16_CRLF_ONE)

    @property
    def crlf_as_one(self) -> bool:
        return self in (Counting.CODE_POINTS_CRLF_ONE, Counting.UTF16_CRLF_ONE)


#: How each tool counts, by a word of its name in the project's ``origin``.
TOOL_COUNTINGS: tuple[tuple[str, Counting], ...] = (
    ("nvivo", Counting.UTF16),
    ("atlas.ti", Counting.CODE_POINTS_CRLF_ONE),
    ("atlas", Counting.CODE_POINTS_CRLF_ONE),
    ("qualcoder", Counting.CODE_POINTS),
    ("maxqda", Counting.CODE_POINTS),
    ("taguette", Counting.CODE_POINTS),
)


def tool_counting(origin: str | None) -> Counting:
    """How the tool that wrote a project counts (the standard's code points
    for a tool not known to count otherwise)."""
    lowered = (origin or "").casefold()
    for word, counting in TOOL_COUNTINGS:
        if word in lowered:
            return counting
    return Counting.CODE_POINTS


class Positions:
    """A text's positions under each way of counting, turned into indices
    of the text as Python holds it (code points)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Code point indices of the characters beyond U+FFFF (two UTF-16
        # units each), and of the CRs of CR LF line breaks.
        self._astral = [] if text.isascii() else [i for i, c in enumerate(text) if c > "\uffff"]
        self._crlf = _crlf_indices(text)
        # The UTF-16 unit at which each astral character starts.
        self._astral_units = [index + rank for rank, index in enumerate(self._astral)]
        self._crlf_counted: dict[Counting, list[int]] = {}

    def countings(self) -> list[Counting]:
        """The countings that differ for this text (all of them give the
        same positions in a text of plain characters and LF line breaks)."""
        found = [Counting.CODE_POINTS]
        if self._astral:
            found.append(Counting.UTF16)
        if self._crlf:
            found.append(Counting.CODE_POINTS_CRLF_ONE)
            if self._astral:
                found.append(Counting.UTF16_CRLF_ONE)
        return found

    def index(self, position: int, counting: Counting) -> int | None:
        """The code point index of ``position`` counted as ``counting``, or
        None where it falls inside a character (between a surrogate pair)
        or outside the text."""
        if position < 0:
            return None
        units = position
        if counting.crlf_as_one and self._crlf:
            # Each CR LF before this place was counted once: add its LF back.
            in_units = self._crlf_positions(counting)
            units = position + bisect.bisect_left(in_units, position)
        index = units
        if counting.utf16 and self._astral:
            before = bisect.bisect_left(self._astral_units, units)
            if before and self._astral_units[before - 1] == units - 1:
                return None  # between the two halves of a character
            index = units - before
        return index if index <= len(self.text) else None

    def _crlf_positions(self, counting: Counting) -> list[int]:
        """Where each CR LF stands, counted as ``counting`` with CR LF as one."""
        known = self._crlf_counted.get(counting)
        if known is None:
            known = []
            for rank, index in enumerate(self._crlf):
                units = index
                if counting.utf16 and self._astral:
                    units += bisect.bisect_left(self._astral, index)
                known.append(units - rank)
            self._crlf_counted[counting] = known
        return known


def _crlf_indices(text: str) -> list[int]:
    found = []
    start = text.find("\r\n")
    while start >= 0:
        found.append(start)
        start = text.find("\r\n", start + 2)
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
    valid: int  # selections that lie inside the text at all


def fit(positions: Positions, selections: Sequence[tuple[int, int]], counting: Counting) -> Fit:
    fitted = valid = 0
    text = positions.text
    for start, end in selections:
        first, last = positions.index(start, counting), positions.index(end, counting)
        if first is None or last is None or not first < last:
            continue
        valid += 1
        if at_boundary(text, first) and at_boundary(text, last):
            fitted += 1
    return Fit(counting, fitted, valid)


@dataclass(frozen=True, slots=True)
class Choice:
    """The counting a source's positions are read with, and why."""

    counting: Counting
    expected: Counting  # the exporting tool's
    fitted: int
    total: int

    @property
    def contradicted(self) -> bool:
        """The evidence chose another counting than the tool's."""
        return self.counting is not self.expected


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
        if counting is expected:
            continue
        other = fit(positions, selections, counting)
        if other.fitted > best.fitted:
            best = other
    margin = max(1, total // 10)
    if best.fitted - expected_fit.fitted >= margin:
        return Choice(best.counting, expected, best.fitted, total)
    return Choice(expected, expected, expected_fit.fitted, total)

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
import unicodedata
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


# Characters that belong to the word they stand in: letters and digits,
# combining marks (an accent written apart, a Thai vowel sign), and the
# joiners and variation selectors inside an emoji sequence.
_JOINERS = frozenset("\u200c\u200d\ufe0e\ufe0f")
_APOSTROPHES = frozenset("'\u2019")
_SPACES = frozenset(" \t\u00a0")
# Scripts written without spaces between words: no position in a run of
# them says anything about where a selection should start or end.
_UNSPACED = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR")


def _in_word(character: str) -> bool:
    return character.isalnum() or unicodedata.category(character)[0] == "M" or character in _JOINERS


def _unspaced(character: str) -> bool:
    return unicodedata.name(character, "").startswith(_UNSPACED)


def inside_word(text: str, index: int) -> bool:
    """Whether a cut at ``index`` splits a word ("tea|m", "bi|́rod" between a
    letter and its accent, "don|'t"). In a script written without spaces
    this cannot be told, and no cut is said to split a word."""
    if index <= 0 or index >= len(text):
        return False
    before, after = text[index - 1], text[index]
    # A mark or a joiner belongs to the character before it, in any script.
    if after in _JOINERS or unicodedata.category(after)[0] == "M" or before == "\u200d":
        return True
    if _unspaced(before) or _unspaced(after):
        return False
    if after in _APOSTROPHES and index + 1 < len(text):
        return _in_word(before) and _in_word(text[index + 1])
    if before in _APOSTROPHES and index >= 2:
        return _in_word(text[index - 2]) and _in_word(after)
    return _in_word(before) and _in_word(after)


def good_start(text: str, index: int) -> bool:
    """A selection starts well where it splits no word and does not start
    with a space (a cut one character too early starts on the space before
    a word, and splits nothing)."""
    return not inside_word(text, index) and not (index < len(text) and text[index] in _SPACES)


def good_end(text: str, index: int) -> bool:
    """A selection ends well where it splits no word and does not end with
    a space."""
    return not inside_word(text, index) and not (index > 0 and text[index - 1] in _SPACES)


def _shown(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Fit:
    """How well one way of counting fits a source's selections."""

    counting: Counting
    named: int  # selections whose cut text begins as the selection's name says
    fitted: int  # selections whose start and end are good ones

    @property
    def score(self) -> tuple[int, int]:
        return self.named, self.fitted


@dataclass(frozen=True, slots=True)
class Selected:
    """A selection as evidence: its positions, and its name when the tool
    wrote the selected text there (the standard's own example does)."""

    start: int
    end: int
    name: str | None = None


def cut(positions: Positions, selection: Selected, counting: Counting) -> tuple[int, int] | None:
    first = positions.index(selection.start, counting)
    last = positions.index(selection.end, counting)
    if first is None or last is None or not first < last:
        return None
    return first, last


def fit(positions: Positions, selections: Sequence[Selected], counting: Counting) -> Fit:
    named = fitted = 0
    text = positions.text
    for selection in selections:
        span = cut(positions, selection, counting)
        if span is None:
            continue
        first, last = span
        if good_start(text, first) and good_end(text, last):
            fitted += 1
        if selection.name and _shown(text[first:last]).startswith(selection.name):
            named += 1
    return Fit(counting, named, fitted)


def usable_names(text: str, selections: Sequence[Selected]) -> list[Selected]:
    """The selections, each keeping its name only where the name is text of
    the source (qc names a selection "line:6", which says nothing): shown on
    one line, without an ellipsis at its end."""
    shown = _shown(text)
    usable = []
    for selection in selections:
        name = _shown(selection.name or "").removesuffix("…").removesuffix("...").rstrip()
        keep = name if len(name) >= 4 and name in shown else None
        usable.append(Selected(selection.start, selection.end, keep))
    return usable


@dataclass(frozen=True, slots=True)
class Choice:
    """The counting a source's positions are read with, and why."""

    counting: Counting
    expected: Counting  # the exporting tool's
    fitted: int
    expected_fitted: int
    total: int
    #: Another counting that fitted nearly as well (or as well): excerpts it
    #: would cut otherwise are named, for a person to compare.
    runner_up: Counting | None = None

    @property
    def contradicted(self) -> bool:
        """Whether the source's own evidence overruled the tool's counting."""
        return self.counting != self.expected


def choose(positions: Positions, selections: Sequence[Selected], expected: Counting) -> Choice:
    """The tool's counting, unless the evidence is clearly against it.

    Names that give the selected text outweigh everything: the counting
    that cuts more selections as their names say wins. Failing that, the
    tool's counting stands unless another starts and ends clearly more
    selections well: by three at least, and one in ten. A counting that
    comes close is kept as the runner-up, so that the excerpts the two cut
    differently are named rather than trusted.
    """
    selections = usable_names(positions.text, selections)
    total = len(selections)
    expected_fit = fit(positions, selections, expected)
    others = [fit(positions, selections, c) for c in positions.countings() if c != expected]
    best = max(others, key=lambda f: f.score, default=None)
    if best is not None:
        by_names = best.named > expected_fit.named
        by_boundaries = (
            best.named == expected_fit.named
            and best.fitted - expected_fit.fitted >= max(3, -(-total // 10))
        )
        if by_names or by_boundaries:
            return Choice(best.counting, expected, best.fitted, expected_fit.fitted, total)
        if best.named == expected_fit.named and best.fitted >= expected_fit.fitted - 1 and total:
            runner_up = best.counting
            return Choice(
                expected, expected, expected_fit.fitted, expected_fit.fitted, total, runner_up
            )
    return Choice(expected, expected, expected_fit.fitted, expected_fit.fitted, total)

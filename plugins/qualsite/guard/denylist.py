"""The identifier deny-list: real names, places and services that must never
appear in the site.

The file is plain text, one identifier a line (blank lines and lines starting
with ``#`` are skipped). It is meant to live outside the study's repository:
it is itself a list of the very identifiers the study must not publish.
Messages give the line of the deny-list, never the identifier, since build
logs end up in CI systems.

Matching is done on folded text (:mod:`.normalise`): case, accents,
invisible characters, compatibility forms and look-alike letters make no
difference. An entry's words match whatever stands between them that is not
a letter or digit, or nothing at all, so "Jane Oakwood" is found in
"jane-oakwood", "Jane_Oakwood", "JaneOakwood" and "Jane\\nOakwood"; its ends
must not touch another letter or digit, so "Ann" is not found in "Anne".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem, Problems, display_path
from .normalise import fold_for_names, reading_orders

#: An entry shorter than this would match too much to be meant (a stray "a").
MIN_LENGTH = 2

# Letters and digits, the units of an entry; anything else separates them.
_WORD = re.compile(r"[^\W_]+")
_SEPARATOR = r"[\W_]*"

# Scripts written without spaces between words: a name in them is found
# inside a run of letters, since no boundary marks where it starts or ends.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


@dataclass(frozen=True, slots=True)
class DenyMatch:
    deny_line: int  # the entry's number: for a deny-list, its line in the file
    line: int  # the line of the scanned text it was found on (1 for one-line texts)


class Phrases:
    """Folded phrases, each with a number, found in text however disguised."""

    def __init__(self, entries: dict[str, int]) -> None:
        self._lines = entries  # folded entry -> its number
        self._regex: re.Pattern[str] | None = None
        if entries:
            self._regex = re.compile(_expression(list(entries)))
        # Longest first, so that a key shared by two entries names the longer.
        self._keys = {_key(e): e for e in sorted(entries, key=len)}

    def __len__(self) -> int:
        return len(self._lines)

    def entries_key(self) -> tuple[tuple[str, int], ...]:
        """The entries, each with its number: two lists with the same key
        find the same in every text."""
        return tuple(sorted(self._lines.items()))

    def find(self, text: str) -> list[DenyMatch]:
        """Every entry found in ``text``, however it is disguised."""
        found: dict[tuple[int, int], DenyMatch] = {}
        for shown in reading_orders(text):
            for match in self.find_folded(fold_for_names(shown)):
                found.setdefault((match.deny_line, match.line), match)
        return list(found.values())

    def find_folded(self, folded: str) -> Iterator[DenyMatch]:
        """Every entry found in text already folded with ``fold_for_names``."""
        if self._regex is None:
            return
        for match in self._regex.finditer(folded):
            entry = self._keys.get(_key(match.group(0)), "")
            yield DenyMatch(self._lines.get(entry, 0), folded.count("\n", 0, match.start()) + 1)

    def occurs_in(self, folded: str) -> int | None:
        """The deny-list line of the first entry found in folded text, if any."""
        if self._regex is None:
            return None
        match = self._regex.search(folded)
        return None if match is None else self._lines.get(self._keys.get(_key(match[0]), ""), 0)

    def spans(self, folded: str) -> list[tuple[int, int]]:
        """Where entries sit in folded text (to cut them out of a message)."""
        if self._regex is None:
            return []
        return [m.span() for m in self._regex.finditer(folded)]


class DenyList(Phrases):
    """The deny-list file's entries, numbered by their lines."""

    def __init__(self, path: Path, entries: dict[str, int]) -> None:
        super().__init__(entries)
        self.path = path
        self.shown_path = display_path(path)


def phrase(text: str) -> str:
    """Text folded into an entry: its words, lower-case and plain, one
    space between them."""
    return " ".join(_WORD.findall(fold_for_names(text)))


def _key(folded: str) -> str:
    """An entry or a match reduced to its letters and digits, to find which
    entry a match is of."""
    return "".join(_WORD.findall(folded))


def _unspaced(character: str) -> bool:
    return unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


_Trie = dict[str, "_Trie"]


def _expression(entries: list[str]) -> str:
    """One regular expression for every folded entry, as a trie.

    Python's regex engine tries the branches of an alternation one by one at
    every position of the text, so a deny-list of 200 names is 200 tries a
    character. Merged on their common beginnings ("jane", "janet", "jan
    de vries"), the branches part only where the entries do, and a position
    where no entry can begin fails at its first letter. Each branch looks
    behind its first letter for a boundary only once that letter matched,
    for the same reason. Longer entries are tried before shorter ones.
    """
    trie: _Trie = {}
    for entry in entries:
        node = trie
        for character in " ".join(_WORD.findall(entry)):
            node = node.setdefault(character, {})
        node[""] = {}  # the end of an entry
    return _branches(trie, first=True, last_letter="")


def _branches(node: _Trie, *, first: bool, last_letter: str) -> str:
    options = []
    for character in sorted(node, key=lambda c: (c == "", c)):
        if character == "":
            # An entry ends here: its last letter must not run on into a word.
            options.append("" if _unspaced(last_letter) else r"(?![^\W_])")
            continue
        if character == " ":
            head = _SEPARATOR
        else:
            head = re.escape(character)
            if first and not _unspaced(character):
                head += rf"(?<![^\W_]{re.escape(character)})"
        letter = last_letter if character == " " else character
        options.append(head + _branches(node[character], first=False, last_letter=letter))
    if len(options) == 1:
        return options[0]
    return "(?:" + "|".join(options) + ")"


def load_deny_list(path: Path, problems: Problems) -> DenyList | None:
    """Read the deny-list, or record why it cannot be used.

    The guard fails closed: a deny-list that was named but cannot be read,
    or that holds no entry at all, is an error, never an unchecked build.
    """
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
    except IsADirectoryError:
        problems.error(Location(shown), "the deny-list is a folder; name the file itself")
        return None
    except UnicodeDecodeError:
        problems.error(Location(shown), "the deny-list is not UTF-8 text; save it as UTF-8")
        return None
    except OSError as error:
        problems.error(Location(shown), f"cannot read the deny-list: {error.strerror}")
        return None
    entries: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        entry = phrase(stripped)
        if len(entry) < MIN_LENGTH:
            problems.warning(
                Location(shown, number),
                f"this entry has fewer than {MIN_LENGTH} letters or digits and is ignored",
            )
            continue
        entries.setdefault(entry, number)
    if not entries:
        problems.error(
            Location(shown),
            "the deny-list holds no identifier, so nothing would be checked; write the real "
            "names, places and services of the study in it, one a line",
        )
        return None
    return DenyList(path, entries)


def deny_problem(where: Location, what: str, match: DenyMatch, deny: DenyList) -> Problem:
    return Problem(
        where,
        f"{what} holds an identifier from the deny-list (line {match.deny_line} of "
        f"{deny.shown_path}); remove it or replace it with a redaction such as [name]",
    )

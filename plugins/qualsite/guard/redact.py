"""Messages that never repeat an identifier.

Most of qualsite's messages say where and what, not the value; a few quote
what the user wrote, to be understood ("'peer-suport' is not a category (did
you mean 'peer-support'?)"). A quoted value can be the very name the
deny-list holds, or a phone number typed into the wrong field, and build
logs are kept by CI services. So every message is passed through here once
the deny-list is known, and whatever matches is cut out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .denylist import DenyList
from .normalise import fold_for_names, folded_with_positions
from .patterns import find_patterns

#: What stands in a message where an identifier was.
REDACTED = "[…]"

#: Kinds of personal data cut out of messages. Web addresses and dates are
#: left: messages quote them to explain a mistake in a DOI, URL or date
#: field, and give examples of them.
_MESSAGE_KINDS = frozenset({"email", "phone", "nhs-number", "postcode"})


def redactor(deny: DenyList | None, *, patterns: bool = True) -> Callable[[str], str]:
    """A function that cuts identifiers (and, with ``patterns``, personal
    data) out of a message or a path."""

    def redact(message: str) -> str:
        message = _shown_controls(message)
        spans: list[tuple[int, int]] = []
        if deny is not None:
            spans += _identifier_spans(message, deny)
        if patterns:
            for found in find_patterns(message, kinds=_MESSAGE_KINDS):
                spans.append((found.offset, found.offset + len(found.text)))
        return _cut(message, spans)

    return redact


def _identifier_spans(message: str, deny: DenyList) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if deny.occurs_in(fold_for_names(message)) is not None:
        folded, positions = folded_with_positions(message)
        for start, end in deny.spans(folded):
            spans.append((positions[start], positions[end - 1] + 1))
    # A run that a right-to-left override would have shown reversed: cut
    # whole if it spells an identifier backwards.
    for run in _OVERRIDE_RUN.finditer(message):
        if deny.occurs_in(fold_for_names(run.group(1)[::-1])) is not None:
            spans.append(run.span())
    return spans


# Written out, not obeyed: a message is not to be read right to left by a
# log viewer that honours bidirectional controls.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# An override's run: to its end, or to the end of the quoted value it is in.
_OVERRIDE_RUN = re.compile(r"<U\+202E>(.*?)(?=<U\+202C>|['\"]|$)")


def _shown_controls(message: str) -> str:
    return _BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", message)


def _cut(message: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return message
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:  # overlapping: already cut
            start = last
        if end <= start:
            continue
        pieces += [message[last:start], REDACTED]
        last = end
    pieces.append(message[last:])
    return "".join(pieces)

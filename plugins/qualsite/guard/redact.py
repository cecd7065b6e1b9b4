"""Messages that never repeat an identifier.

Most of qualsite's messages say where and what, not the value; a few quote
what the user wrote, to be understood ("'peer-suport' is not a category (did
you mean 'peer-support'?)"). A quoted value can be the very name the
deny-list holds, or a phone number typed into the wrong field, and build
logs are kept by CI services. So every message is passed through here once
the deny-list is known, and whatever matches is cut out.
"""

from __future__ import annotations

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


def redactor(deny: DenyList | None) -> Callable[[str], str]:
    """A function that cuts identifiers and personal data out of a message."""

    def redact(message: str) -> str:
        spans: list[tuple[int, int]] = []
        if deny is not None and deny.occurs_in(fold_for_names(message)) is not None:
            folded, positions = folded_with_positions(message)
            for start, end in deny.spans(folded):
                spans.append((positions[start], positions[end - 1] + 1))
        for found in find_patterns(message):
            if found.kind.name in _MESSAGE_KINDS:
                spans.append((found.offset, found.offset + len(found.text)))
        return _cut(message, spans)

    return redact


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

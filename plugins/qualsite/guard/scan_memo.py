"""What each of the study's texts holds, kept from one build to the next
under ``mkdocs serve``.

The scan of a study (:func:`.scan.scan`) looks in every text for the
deny-list's entries and for personal data (10,000 excerpts: about 0.15 s
of a rebuild). A save changes few texts, so a rebuild looks again only in
the texts it has not seen: what is found in a text depends on nothing but
its words and, for the deny-list, the list's entries. What the scan makes
of a finding (an error or a warning, at the text's file and line, let
through or not) is worked out afresh on every build, from the texts as
they are now.

Only the last build's texts are kept, in memory; a deny-list with other
entries keeps nothing of the last.
"""

from __future__ import annotations

from ..memo import BuildMemo
from .denylist import DenyList, DenyMatch
from .normalise import fold_for_patterns
from .patterns import PatternMatch, find_patterns

#: What a text holds: the deny-list's entries, then the personal data.
Found = tuple[tuple[DenyMatch, ...], tuple[PatternMatch, ...]]


def look_in(text: str, deny: DenyList | None) -> Found:
    """What ``text`` holds (personal data as found in the folded text)."""
    named = tuple(deny.find(text)) if deny is not None else ()
    return named, tuple(find_patterns(fold_for_patterns(text)))


class ScanMemo(BuildMemo[str, Found]):
    """What the texts of the last build that scanned any were found to hold."""

    def start_scan(self, deny: DenyList | None) -> None:
        """A new build, scanning with ``deny``: what the last found is kept
        for it if the deny-list's entries are the same."""
        self.start(deny.entries_key() if deny is not None else None)

    def look_in(self, text: str, deny: DenyList | None) -> Found:
        return self.get(text, lambda: look_in(text, deny))


#: The memo of ``mkdocs serve``'s builds in this process (a build that is no
#: preview keeps nothing: no build follows it to use what it kept).
PREVIEW_SCANS = ScanMemo()

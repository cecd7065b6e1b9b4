"""What an import did, accounted for: every code, case, source and
selection is counted where it went, and every skip has its reason.

The same account is printed by ``qualsite import`` and written, for later,
to ``codebook/IMPORT.md`` (which is never published: the codebook is not
part of the site).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .positions import Counting


@dataclass
class SourceReport:
    """One text source: how its positions were read, and how well they fit."""

    label: str  # S1, S2...
    counting: Counting
    expected: Counting  # the exporting tool's way of counting
    fitted: int  # selections whose start and end fall on word or line boundaries
    total: int
    #: Selections that fit the tool's counting (when another was chosen).
    expected_fitted: int
    #: Excerpts (by id) that start or end inside a word as read.
    inside_words: list[str] = field(default_factory=list)

    def line(self) -> str:
        if not self.total:
            return f"{self.label}: no coded text selections"
        fits = f"{self.fitted} of {self.total} selections start and end on word or line boundaries"
        if self.counting == self.expected:
            return f"{self.label}: positions read as {self.counting.description}; {fits}"
        return (
            f"{self.label}: positions read as {self.counting.description}, not as the "
            f"exporting tool's {self.expected.description}, which fitted "
            f"{self.expected_fitted} of {self.total}; {fits}"
        )


@dataclass
class Report:
    """What an import did: counts, what it skipped and why."""

    origin: str
    codes: int = 0
    cases: int = 0
    participants: int = 0
    text_sources: int = 0
    selections: int = 0
    excerpts: int = 0
    attributes: int = 0
    sources: list[SourceReport] = field(default_factory=list)
    #: Texts of the project kept in an unpublished codebook file, by kind.
    kept: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)  # message -> times
    #: Things a person should look at before publishing (no names in them).
    checks: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings[message] += 1

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[reason] += count

    def lines(self) -> list[str]:
        """The account, one line a fact, as printed and written."""
        lines = [
            f"Imported from {self.origin}:",
            f"  {self.codes} codes -> {self.codes} categories",
            f"  {self.cases} cases -> {self.participants} participants (P1, P2...)",
            f"  {self.text_sources} text sources, {self.selections} text selections "
            f"-> {self.excerpts} excerpts, each marked reviewed: false",
        ]
        lines += [f"  {source.line()}" for source in self.sources]
        for source in self.sources:
            if source.inside_words:
                named = ", ".join(source.inside_words[:10])
                more = (
                    f" and {len(source.inside_words) - 10} more"
                    if len(source.inside_words) > 10
                    else ""
                )
                lines.append(
                    f"  warning: {source.label}: {len(source.inside_words)} excerpt(s) start or "
                    f"end inside a word as read: {named}{more}; compare them with the "
                    "source before publishing"
                )
        for kind, count in sorted(self.kept.items()):
            lines.append(f"  kept, not published: {count} {kind} (codebook/.refi-notes.yml)")
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  skipped: {count} {reason}")
        for warning, times in self.warnings.items():
            lines.append(f"  warning: {warning}" + (f" ({times} times)" if times > 1 else ""))
        if self.attributes:
            lines.append(
                f"  {self.attributes} participant attributes came from case variables: "
                "check that none could identify anyone"
            )
        lines += [f"  check: {check}" for check in self.checks]
        return lines

"""What an import did, accounted for: every code, case, source and
selection is counted where it went, and every skip has its reason.

The same account is printed by ``qualsite import`` and written, for later,
to ``codebook/IMPORT.md`` (which is never published: the codebook is not
part of the site).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .positions import Choice


@dataclass
class SourceReport:
    """One text source: how its positions were read, and how well they fit."""

    label: str  # S1, S2...
    choice: Choice
    #: Excerpts (by id) that start or end inside a word as read.
    inside_words: list[str] = field(default_factory=list)
    #: Excerpts (by id) that the runner-up counting would cut otherwise.
    uncertain: list[str] = field(default_factory=list)

    def line(self) -> str:
        choice = self.choice
        if not choice.total:
            return f"{self.label}: no selection with whole-number positions"
        read = f"{self.label}: positions read as {choice.counting.description}"
        fits = f"{choice.fitted} of {choice.total} selections start and end at word boundaries"
        if not choice.contradicted:
            return f"{read}; {fits}"
        return (
            f"{read}, not as the exporting tool's {choice.expected.description}, which "
            f"fitted {choice.expected_fitted} of {choice.total}; {fits}"
        )

    def warnings(self) -> list[str]:
        found = []
        if self.inside_words:
            found.append(
                f"{self.label}: {_some(self.inside_words)} start or end inside a word as read; "
                "compare them with the source before publishing"
            )
        if self.uncertain and self.choice.runner_up is not None:
            found.append(
                f"{self.label}: {_some(self.uncertain)} would be cut otherwise if the positions "
                f"were counted in {self.choice.runner_up.description}, which fits the source "
                "nearly as well; compare them with the source before publishing"
            )
        return found


def _some(ids: list[str]) -> str:
    named = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    return f"{len(ids)} excerpt(s) ({named})"


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
            f"  {self.cases} cases -> {self.participants} participants (P1, P2...)"
            if self.cases
            else f"  no cases -> {self.participants} participants, one a source (P1, P2...)"
            if self.participants
            else "  no cases, and no coded text -> no participants",
            f"  {self.text_sources} text sources, {self.selections} text selections "
            f"-> {self.excerpts} excerpts, each marked reviewed: false",
        ]
        lines += [f"  {source.line()}" for source in self.sources]
        for source in self.sources:
            lines += [f"  warning: {warning}" for warning in source.warnings()]
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

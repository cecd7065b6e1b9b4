"""The last gate: everything a build would publish, checked as published.

The field-by-field checks name the file and line to fix, but they can only
look where qualsite knows text comes from. A name also reaches a site
through a template override, a file copied from ``docs_dir``, a value of
``mkdocs.yml`` that a plugin prints, a snippet, another plugin, or markup
that splits it so that no field holds it whole. The gate reads the
finished files instead, whatever made them (:mod:`.extract`), and matches
the deny-list and the personal-data patterns on what a reader would see,
folded (:mod:`.normalise`).

The adapters call it just before publishing: the plugin after every other
plugin has written its files (and, on a finding, removes what the build
wrote), ``qualsite bundle``, ``export`` and ``pdf`` before they hand their
files over. A finding publishes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..errors import display_path
from .denylist import DenyList
from .extract import BARRIER, Member, Units, View, read
from .normalise import fold_for_names, fold_for_patterns, reading_orders
from .patterns import find_patterns
from .redact import REDACTED
from .scan import approval_key

#: New lines of a page this close together are read as one piece.
_CLOSE = 40

#: Web addresses are the links of every page; the gate does not look for them.
_KINDS_IN_OUTPUT = frozenset({"email", "phone", "nhs-number", "postcode", "date"})


@dataclass(frozen=True)
class GatePolicy:
    """What the gate knows of the study it guards."""

    deny: DenyList | None
    #: Personal-data matches the study publishes by design (folded keys).
    approved: frozenset[str] = frozenset()
    #: Files that must never be published, not even as a copy: the
    #: codebook's and the deny-list.
    forbidden: Sequence[Path] = ()
    #: Output paths that are unchanged copies of a theme's own files (the
    #: theme's scripts and styles), with the file each must equal: those
    #: are skipped, since nothing of the study can be in them.
    vendor: Mapping[str, Path] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # as published, with any part that holds an identifier cut out
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class GateReport:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0  # how many files were read
    #: Files the gate could read only by name (images, PDFs), as shown.
    opaque: list[str] = field(default_factory=list)


def gate_folder(folder: Path, policy: GatePolicy) -> GateReport:
    """Check every file under ``folder`` (a built site)."""
    paths = sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())
    return gate_files(((p.relative_to(folder).as_posix(), _reader(p)) for p in paths), policy)


def _reader(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def gate_files(files: Iterable[tuple[str, bytes | None]], policy: GatePolicy) -> GateReport:
    """Check files given as (path as published, content, or None for a file
    that could not be read, which is a finding: the gate fails closed)."""
    gate = _Gate(policy)
    for path, data in files:
        if data is None:
            gate.unreadable(path)
        else:
            gate.check(path, data)
    return gate.report


class _Gate:
    def __init__(self, policy: GatePolicy) -> None:
        self.policy = policy
        self.report = GateReport()
        self._forbidden: dict[int, list[Path]] = {}
        for path in policy.forbidden:
            try:
                self._forbidden.setdefault(path.stat().st_size, []).append(path)
            except OSError:
                continue
        self._seen: set[tuple[str, str]] = set()
        self._seen_units: dict[tuple[Units, bool], set[str]] = {}

    def check(self, path: str, data: bytes, depth: int = 0) -> None:
        self.report.files += 1
        shown = self._shown_path(path)
        if self._is_vendor(path, data):
            return
        self._name(path, shown)
        self._copies(shown, data)
        reading = read(path, data)
        if reading.problem is not None:
            self._add(
                shown, None, f"cannot be checked: {reading.problem}; leave it out of the site"
            )
        if reading.opaque:
            self.report.opaque.append(shown)
        for view in reading.views:
            self._view(shown, view)
        for member in reading.members:
            self._member(path, member, depth)

    def unreadable(self, path: str) -> None:
        self.report.files += 1
        self._add(self._shown_path(path), None, "cannot be read, so it cannot be checked")

    def _member(self, outer: str, member: Member, depth: int) -> None:
        if depth >= 3:  # a zip in a zip in a zip: nothing qualsite makes
            self._add(self._shown_path(outer), None, "cannot be checked: archives nest too deep")
            return
        inner = f"{outer}!/{member.name}"
        if member.name.endswith("/"):
            self._name(inner, self._shown_path(inner))
            return
        self.check(inner, member.data, depth + 1)

    # -- what is checked ---------------------------------------------------------

    def _name(self, path: str, shown: str) -> None:
        deny = self.policy.deny
        if deny is None:
            return
        line = deny.occurs_in(fold_for_names(unquote(path)))
        if line is not None:
            self._add(shown, None, f"its name holds {_identifier(line, deny)}")

    def _copies(self, shown: str, data: bytes) -> None:
        for original in self._forbidden.get(len(data), ()):
            try:
                same = original.read_bytes() == data
            except OSError:
                continue
            if same:
                self._add(
                    shown,
                    None,
                    f"it is a copy of {display_path(original)}, which must never be published "
                    "(the codebook and the deny-list stay outside docs_dir)",
                )

    def _view(self, shown: str, view: View) -> None:
        deny = self.policy.deny
        for first_line, text in self._unchecked(view):
            if deny is not None and view.names:
                for order in reading_orders(text):
                    for match in deny.find_folded(fold_for_names(order)):
                        line = first_line + match.line - 1 if first_line else None
                        message = f"{view.where} holds {_identifier(match.deny_line, deny)}"
                        self._add(shown, line, message)
            if view.patterns:
                self._patterns(shown, first_line, text, view)

    def _patterns(self, shown: str, first_line: int, text: str, view: View) -> None:
        folded = fold_for_patterns(text)
        for found in find_patterns(folded, kinds=_KINDS_IN_OUTPUT):
            if approval_key(found.text) in self.policy.approved:
                continue
            line = first_line + folded.count("\n", 0, found.offset) if first_line else None
            self._add(shown, line, f"{view.where} holds what looks like {found.kind.description}")

    def _unchecked(self, view: View) -> Iterator[tuple[int, str]]:
        """The parts of a reading not yet checked in this build, each with
        the line it starts on (0: no line to give).

        A site repeats most of each page on every other (the navigation of
        a big study is most of its bytes), and a text that was found clean
        once is clean again; so each unit (a line of source, with the lines
        either side, or a block of shown text) is checked once.
        """
        if view.units is Units.WHOLE:
            yield 1, view.text
            return
        seen = self._seen_units.setdefault((view.units, view.patterns), set())
        if view.units is Units.BLOCKS:
            fresh = set(view.text.split(BARRIER)) - seen
            seen |= fresh
            if fresh:
                yield 0, BARRIER.join(sorted(fresh))
            return
        lines = view.text.split("\n")
        fresh = set(lines) - seen
        if not fresh:
            return
        seen |= fresh
        # A name may run from one line into the next: each new line is read
        # with its neighbours, and new lines close together are read as one
        # piece (one search of a long text costs less than many of short ones).
        runs: list[list[int]] = []
        last = len(lines) - 1
        for index, line in enumerate(lines):
            if line not in fresh:
                continue
            low, high = max(index - 1, 0), min(index + 1, last)
            if runs and low <= runs[-1][1] + _CLOSE:
                runs[-1][1] = high
            else:
                runs.append([low, high])
        for low, high in runs:
            yield low + 1, "\n".join(lines[low : high + 1])

    def _is_vendor(self, path: str, data: bytes) -> bool:
        original = self.policy.vendor.get(path)
        if original is None:
            return False
        try:
            return original.stat().st_size == len(data) and original.read_bytes() == data
        except OSError:
            return False

    # -- reporting ---------------------------------------------------------------

    def _shown_path(self, path: str) -> str:
        """The path as published, each part that holds an identifier cut out
        (a file named after a person must not be named in the log)."""
        deny = self.policy.deny
        if deny is None:
            return path
        parts = []
        for part in path.split("/"):
            hit = deny.occurs_in(fold_for_names(unquote(part)))
            parts.append(REDACTED if hit is not None else part)
        return "/".join(parts)

    def _add(self, shown: str, line: int | None, message: str) -> None:
        # One finding per file and kind: a name on every line of a page is one
        # mistake, and the first line is where to look.
        key = (shown, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.report.findings.append(Finding(shown, line, message))


def _identifier(deny_line: int, deny: DenyList) -> str:
    return f"an identifier from the deny-list (line {deny_line} of {deny.shown_path})"


#: The most findings a message lists (a template prints on every page).
MAX_LISTED = 12


def describe(report: GateReport, *, where: str = "the site") -> str:
    """The findings as one message for the user."""
    count = len(report.findings)
    lines = [
        f"qualsite's last check read what {where} would publish and found "
        f"{count} thing{'s' if count != 1 else ''} that must not be published:"
    ]
    lines += [f"  {finding}" for finding in report.findings[:MAX_LISTED]]
    if count > MAX_LISTED:
        files = len({finding.path.split("!/")[0] for finding in report.findings})
        lines.append(f"  ... and {count - MAX_LISTED} more, in {files} files in all")
    lines.append(
        "(A text repeated on many pages is named where it is first met.) "
        "The study's own files passed their checks, so this came by another road: a template "
        "override, a file in docs_dir, a value in mkdocs.yml, another plugin, or markup that "
        "splits a name. Look for the deny-list line named above in those places (the "
        "message does not repeat the identifier). Nothing was published."
    )
    return "\n".join(lines)


__all__ = ["Finding", "GatePolicy", "GateReport", "describe", "gate_files", "gate_folder"]

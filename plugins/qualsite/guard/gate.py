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

import codecs
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from ..errors import display_path
from .approval import approved, exact_key
from .denylist import DenyList
from .extract import DamagedError, Member, Opener, read
from .markup import BARRIER, View, markup_views
from .normalise import fold_for_names, fold_for_patterns, reading_orders
from .patterns import find_patterns
from .redact import redactor
from .withheld import Withheld

#: Web addresses are the links of every page; the gate does not look for them.
_KINDS_IN_OUTPUT = frozenset({"email", "phone", "nhs-number", "postcode", "date"})
#: Each of those kinds has a digit or an "@" in it, and none runs across a
#: barrier between units (its letters stop every one): the units of a
#: reading with neither hold none, and are not read for them (most of a
#: page's text).
_PATTERN_NEEDS = re.compile(r"[\d@]")
_FOLDED_BARRIER = fold_for_patterns(BARRIER)


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
    #: The words of what the study holds back (unpublished excerpts, a
    #: withdrawn participant's, excerpt memos).
    withheld: Withheld | None = None
    #: Whether personal-data patterns are looked for (else the deny-list,
    #: the held-back texts and copies only): ``qualsite pdf`` reads the
    #: report it printed from pages the gate has read, and a PDF runs a
    #: table's cells together into what looks like a phone number.
    patterns: bool = True
    #: Matches let through in one output file only, by its path as
    #: published, as their exact texts (:func:`.approval.exact_key`): a
    #: page's tables in the search index, which runs their cells together;
    #: what a docs_dir PDF's pages show (:attr:`.scan.Text.scope`).
    scoped: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: Output paths the gate read and found clean before (in the last build
    #: of ``qualsite serve``) under a policy of the same :func:`policy_key`,
    #: with the :func:`file_digest` of what it read: a file still byte for
    #: byte the same has its name and copies checked, but is not read again.
    checked: Mapping[str, bytes] = field(default_factory=dict)


def policy_key(policy: GatePolicy) -> bytes:
    """What decides whether a file's text passes the gate, as a digest: the
    deny-list, the held-back texts and the approved findings. (The files no
    copy may be made of are not in it: copies are looked for on every build.)"""
    parts = [
        policy.deny.entries_key() if policy.deny is not None else None,
        sorted(policy.approved),
        sorted((path, sorted(keys)) for path, keys in policy.scoped.items()),
        policy.patterns,
        policy.withheld.phrases.entries_key() if policy.withheld is not None else None,
    ]
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=32).digest()


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
    #: Files the gate could read only by name (images, sound, video), as shown.
    opaque: list[str] = field(default_factory=list)
    #: The kinds of finding: "name", "withheld", "pattern", "copy", "read".
    kinds: set[str] = field(default_factory=set)


def gate_folder(folder: Path, policy: GatePolicy) -> GateReport:
    """Check every file under ``folder`` (a built site)."""
    return gate_paths(folder, site_files(folder), policy)


def site_files(folder: Path) -> list[str]:
    """Every file under ``folder`` (links too, even broken ones), by its
    path in the folder, in the order the gate reads them."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())
    return [path.relative_to(folder).as_posix() for path in found]


#: How a gate reads a unit of text: whether for patterns too, and what is
#: let through in the file it is in (:attr:`GatePolicy.scoped`).
UnitReading = tuple[bool, frozenset[str]]


@dataclass
class CleanUnits:
    """The units of text one gate has read, file by file, carried to the
    next build under ``qualsite serve`` (its search index is the last
    build's but for a few entries). Each unit is kept by its ``hash()``,
    valid in this process only.

    ``known`` are the units of each file found clean by the last build's
    gate under the very same policy (:func:`policy_key`; the caller makes
    sure of it): whatever decides a unit's verdict is in that key, and a
    unit's verdict is its own (no finding runs across the barrier between
    two units), so they are not read again. ``met`` is filled by the gate:
    the units of each file it read, known or not, and the known units of
    each file it did not read again (unchanged); a file no longer in the
    site has none. They are all clean only if nothing was found in the
    whole site, and only then may they be the next build's ``known``."""

    known: Mapping[str, Mapping[UnitReading, AbstractSet[int]]] = field(default_factory=dict)
    met: dict[str, dict[UnitReading, set[int]]] = field(default_factory=dict)


def gate_paths(
    folder: Path, paths: Iterable[str], policy: GatePolicy, units: CleanUnits | None = None
) -> GateReport:
    """Check the files at ``paths`` (as :func:`site_files` gives them) under
    ``folder`` (``units``: what the last build's gate found clean, under serve)."""
    gate = _Gate(policy, units)
    for path in paths:
        gate.check(path, partial(_open_file, folder / path))
    return gate.report


def merge_reports(reports: Iterable[GateReport]) -> GateReport:
    """Reports on parts of one site (no file in two of them) as one, in the
    order of the files' paths, whatever order the parts were read in."""
    merged = GateReport()
    for report in reports:
        merged.findings += report.findings
        merged.files += report.files
        merged.opaque += report.opaque
        merged.kinds |= report.kinds
    # Stable: a file's own findings keep the order they were found in.
    merged.findings.sort(key=lambda finding: _path_order(finding.path))
    merged.opaque.sort(key=_path_order)
    return merged


def _path_order(path: str) -> tuple[str, ...]:
    """Sorts as ``site_files`` does (folder by folder, as paths compare)."""
    return tuple(path.split("/"))


def file_digest(data: bytes) -> bytes:
    """What tells two versions of a file apart (a page as checked, as written)."""
    return hashlib.blake2b(data, digest_size=32).digest()


def written_digest(path: Path) -> bytes:
    """:func:`file_digest` of a file, read a piece at a time."""
    digest = hashlib.blake2b(digest_size=32)
    with path.open("rb") as stream:
        while piece := stream.read(2**20):
            digest.update(piece)
    return digest.digest()


def _open_file(path: Path) -> BinaryIO:
    return path.open("rb")


def gate_files(files: Iterable[tuple[str, bytes | None]], policy: GatePolicy) -> GateReport:
    """Check files given as (path as published, content), None for a file
    that could not be read (a finding: the gate fails closed)."""
    gate = _Gate(policy)
    for path, data in files:
        gate.check(path, _unreadable if data is None else partial(io.BytesIO, data))
    return gate.report


def _unreadable() -> BinaryIO:
    raise OSError("it could not be read")


class _Gate:
    def __init__(self, policy: GatePolicy, units: CleanUnits | None = None) -> None:
        self.policy = policy
        self.report = GateReport()
        self._redact = redactor(policy.deny, patterns=False)
        self._forbidden: dict[bytes, Path] = {}
        # How each begins: a file that begins otherwise is no copy, and is
        # not read whole for it (a page begins "<!doctype html>").
        self._forbidden_heads: set[bytes] = set()
        sizes: list[int] = []
        for path in policy.forbidden:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            self._forbidden[_fingerprint(data)] = path
            self._forbidden_heads.add(_head(data, whole=True))
            sizes.append(len(data))
        # A copy is at most twice as long (every line ending doubled) and a
        # little shorter (its ends' blank lines and spaces gone): files of
        # other sizes are not read for it.
        self._copy_sizes = range(min(sizes, default=0) // 2, 2 * max(sizes, default=0) + 4)
        self._seen: set[tuple[str, str]] = set()
        # The units checked so far, by their hashes: a big study's site holds
        # tens of megabytes of distinct text, which need not be kept.
        # By whether patterns apply, and what is let through where read.
        self._seen_units: defaultdict[UnitReading, set[int]] = defaultdict(set)
        # The units met in each file, for the next build (CleanUnits.met).
        self._units = units
        self._file = ""  # the file being read (a member's: its archive's)
        if units is not None:
            units.met = {}
            for known in units.known.values():
                for reading, hashes in known.items():
                    self._seen_units[reading] |= hashes

    def check(self, path: str, opener: Opener, depth: int = 0) -> None:
        """Check one file, and whatever is inside it; a file that cannot be
        read or unpacked is a finding (the gate fails closed)."""
        self.report.files += 1
        shown = self._redact(unquote(path))
        if depth == 0:
            self._file = path
        try:
            if self._is_vendor(path, opener):
                return
            self._name(path, shown)
            self._copies(shown, opener)
            if self._checked_before(path, opener):
                if self._units is not None and path in self._units.known:
                    # Not read again: what it was found to hold stands.
                    known = self._units.known[path]
                    self._units.met[path] = {reading: set(h) for reading, h in known.items()}
                return
            reading = read(path, opener)
            # Let through in this file only, not in the files inside it.
            scoped = self.policy.scoped.get(path, frozenset()) if depth == 0 else frozenset()
            for view in reading.views:
                self._view(shown, view, scoped)
            for member in reading.members:
                self._member(path, member, depth)
        except DamagedError as error:
            self._add(shown, None, f"cannot be checked: {error}", "read")
            return
        except OSError as error:
            # strerror, not str(): the latter names the file, which may be the identifier.
            reason = error.strerror or "it could not be read"
            self._add(shown, None, f"cannot be read, so it cannot be checked ({reason})", "read")
            return
        if reading.opaque:
            self.report.opaque.append(shown)

    def _member(self, outer: str, member: Member, depth: int) -> None:
        inner = f"{outer}!/{member.name}" if member.name else outer
        if member.problem is not None:
            self._add(self._redact(inner), None, f"cannot be checked: {member.problem}", "read")
            return
        if member.opener is None:  # a folder in the archive: its name only
            self._name(inner, self._redact(inner))
            return
        if depth >= 3:  # a zip in a zip in a zip: nothing qualsite makes
            self._add(
                self._redact(outer), None, "cannot be checked: archives nest too deep", "read"
            )
            return
        self.check(inner, member.opener, depth + 1)

    # -- what is checked ---------------------------------------------------------

    def _name(self, path: str, shown: str) -> None:
        deny = self.policy.deny
        if deny is None:
            return
        line = deny.occurs_in(fold_for_names(unquote(path)))
        if line is not None:
            self._add(shown, None, f"its name holds {_identifier(line, deny)}", "name")

    def _copies(self, shown: str, opener: Opener) -> None:
        """A copy of a codebook file or of the deny-list, whatever its line
        endings, byte-order mark or trailing blank lines."""
        if not self._forbidden:
            return
        with opener() as stream:
            start = stream.read(_HEAD * 4)
        if _head(start, whole=len(start) < _HEAD * 4) not in self._forbidden_heads:
            return
        with opener() as stream:
            data = stream.read(self._copy_sizes.stop)
        if len(data) not in self._copy_sizes:
            return
        original = self._forbidden.get(_fingerprint(data))
        if original is not None:
            self._add(
                shown,
                None,
                f"it is a copy of {self._redact(display_path(original))}, which must never be "
                "published (the codebook and the deny-list stay outside docs_dir)",
                "copy",
            )

    def _view(self, shown: str, view: View, scoped: frozenset[str]) -> None:
        for unchecked in self._unchecked(view, scoped):
            for line, message, kind in self._read(unchecked, view, scoped):
                self._add(shown, line, message, kind)

    def warm(self, markup: str) -> None:
        """Read markup that pages to come will hold (a page's content, before
        the theme puts it in the page), so that their checks find most of
        their units read already.

        Nothing is reported from here, and only units found clean are
        remembered: a page is always checked as it is written, and what
        is not in it makes no finding."""
        for view in markup_views(markup):
            seen = self._seen_units[view.patterns, frozenset()]
            units = {hash(unit): unit for unit in set(view.text.split(BARRIER))}
            fresh = units.keys() - seen
            text = BARRIER.join(sorted(units[key] for key in fresh))
            if fresh and next(iter(self._read(text, view, frozenset())), None) is None:
                seen |= fresh

    def _read(
        self, unchecked: str, view: View, scoped: frozenset[str]
    ) -> Iterator[tuple[int | None, str, str]]:
        """What a reading holds that must not be published: (line, message,
        kind of finding) each."""
        readings = view.then(unchecked) if view.then else [(unchecked, view.patterns, view.where)]
        for text, patterns, where in readings:
            read = replace(view, text=text, patterns=patterns, where=where)
            if self.policy.deny is not None or self.policy.withheld is not None:
                for order in reading_orders(text):
                    yield from self._names(fold_for_names(order), read)
            if patterns and self.policy.patterns:
                yield from self._patterns(text, read, scoped)

    def _names(self, folded: str, view: View) -> Iterator[tuple[int | None, str, str]]:
        deny, withheld = self.policy.deny, self.policy.withheld
        if deny is not None:
            for match in deny.find_folded(folded):
                line = view.first_line + match.line - 1 if view.first_line else None
                yield line, f"{view.where} holds {_identifier(match.deny_line, deny)}", "name"
        if withheld is not None:
            for match in withheld.phrases.find_folded(folded):
                source = self._redact(str(withheld.location(match.deny_line)))
                message = f"{view.where} holds the words of a text the study holds back ({source})"
                yield None, message, "withheld"

    def _patterns(
        self, text: str, view: View, scoped: frozenset[str]
    ) -> Iterator[tuple[int | None, str, str]]:
        folded = fold_for_patterns(text)
        if not view.first_line:  # no line to count: the units that may hold one are enough
            folded = _FOLDED_BARRIER.join(
                unit for unit in folded.split(_FOLDED_BARRIER) if _PATTERN_NEEDS.search(unit)
            )
        for found in find_patterns(folded, kinds=_KINDS_IN_OUTPUT):
            if approved(found.text, self.policy.approved) or (
                scoped and exact_key(found.text) in scoped
            ):
                continue
            offset = folded.count("\n", 0, found.offset)
            line = view.first_line + offset if view.first_line else None
            yield line, f"{view.where} holds what looks like {found.kind.description}", "pattern"

    def _unchecked(self, view: View, scoped: frozenset[str]) -> Iterator[str]:
        """What of a reading was not checked yet in this build.

        A site repeats most of each page on every other (the navigation of
        a big study is most of its bytes), and a unit of text (a block as
        shown, an attribute value, a comment) found clean once is clean
        again: each is checked once.
        """
        if not view.units:
            yield view.text
            return
        seen = self._seen_units[view.patterns, scoped]
        units = {hash(unit): unit for unit in set(view.text.split(BARRIER))}
        if self._units is not None:
            met = self._units.met.setdefault(self._file, {})
            met.setdefault((view.patterns, scoped), set()).update(units.keys())
        fresh = units.keys() - seen
        if fresh:
            seen |= fresh
            yield BARRIER.join(sorted(units[key] for key in fresh))

    def _checked_before(self, path: str, opener: Opener) -> bool:
        digest = self.policy.checked.get(path)
        if digest is None:
            return False
        with opener() as stream:
            return file_digest(stream.read()) == digest

    def _is_vendor(self, path: str, opener: Opener) -> bool:
        original = self.policy.vendor.get(path)
        if original is None:
            return False
        try:
            with opener() as stream:
                return original.read_bytes() == stream.read()
        except OSError:
            return False

    # -- reporting ---------------------------------------------------------------

    def _add(self, shown: str, line: int | None, message: str, kind: str) -> None:
        # One finding per file and kind: a name on every line of a page is one
        # mistake, and the first line is where to look.
        key = (shown, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.report.findings.append(Finding(shown, line, message))
        self.report.kinds.add(kind)


_LINE_END = re.compile(rb"[ \t]*(?:\r\n|\r|\n)")


#: How many bytes of a file's beginning tell whether it may be a copy.
_HEAD = 48


def _normalised(data: bytes) -> bytes:
    """A file's bytes with no byte-order mark, spaces at the ends of lines
    or line endings but "\n"."""
    data = data.removeprefix(codecs.BOM_UTF8)
    # Most files have nothing to change (a big study's codebook is
    # megabytes, read by every gate): a substring test tells at once.
    if b"\r" in data or b" \n" in data or b"\t\n" in data:
        data = _LINE_END.sub(b"\n", data)
    return data


def _head(data: bytes, *, whole: bool) -> bytes:
    """A file's first bytes, as :func:`_fingerprint` normalises them
    (``whole``: ``data`` is all of the file, whose end is normalised too)."""
    text = _normalised(data)
    return (text.strip() if whole else text.lstrip())[:_HEAD]


def _fingerprint(data: bytes) -> bytes:
    """A file's content as a copy keeps it: line endings, a byte-order mark,
    blank lines and spaces at the ends of lines may differ."""
    return hashlib.blake2b(_normalised(data).strip(), digest_size=20).digest()


def _identifier(deny_line: int, deny: DenyList) -> str:
    return f"an identifier from the deny-list (line {deny_line} of {deny.shown_path})"


#: The most findings a message lists (a template prints on every page).
MAX_LISTED = 12

_ADVICE = {
    "name": (
        "The study's own files passed their checks, so a name came by another road: a "
        "template override, a file in docs_dir, a value in mkdocs.yml, another plugin, or "
        "markup that splits it. Look for the deny-list line named above in those places "
        "(no message repeats the identifier)."
    ),
    "pattern": (
        "What looks like personal data is in no text that the study publishes by design (its "
        "pages, mkdocs.yml, its templates, study.yml, allowed excerpts): find where it comes "
        "from (a file in docs_dir, another plugin, a theme's text) and take it out, or, if "
        "it is yours to publish, write it in a page."
    ),
    "withheld": (
        "A text the study holds back (an excerpt with publish: false, a withdrawn "
        "participant's, an excerpt's memo) reached the site, most likely through a snippet "
        "or a copy of a codebook file: include no codebook file in a page."
    ),
    "copy": "Move the codebook and the deny-list out of docs_dir.",
    "read": (
        "Take out of docs_dir what cannot be read (an encrypted or damaged archive or PDF), "
        "or save it again as a file anyone can open (a PDF without a password; a very large "
        "one split into parts)."
    ),
}


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
    lines.append("(A text repeated on many pages is named where it is first met.)")
    lines += [_ADVICE[kind] for kind in _ADVICE if kind in report.kinds]
    lines.append("Nothing was published.")
    return "\n".join(lines)


__all__ = [
    "Finding",
    "GatePolicy",
    "GateReport",
    "describe",
    "file_digest",
    "gate_files",
    "gate_folder",
    "gate_paths",
    "merge_reports",
    "policy_key",
    "site_files",
    "written_digest",
]

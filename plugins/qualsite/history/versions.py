"""The versions of a codebook that ``qualsite history`` compares: a folder on
disk, or a revision (a tag, a branch, a commit) of the git repository that
holds the codebook.

A revision is read with git's plumbing (``ls-tree`` and ``cat-file``), never
by checking it out, so the user's working tree and index are left alone, and
``.gitattributes`` (``export-ignore``) cannot hide a file as ``git archive``
would. Its files are written into a temporary folder and loaded as today's
qualsite loads any codebook. Nothing is fetched: the revision must be in the
local repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

from ..counting import counted
from ..errors import Problems, QualsiteError, StudyError, closest, display_path
from ..study.format import FILE_KINDS
from ..study.loader import kind_files, load_study
from ..study.model import Study

#: The label of the codebook as it is on disk now, uncommitted edits and all.
WORKING_TREE = "working tree"

#: How many of an old version's problems its message lists.
_PROBLEMS_SHOWN = 5

#: Stands in a message for a participant the newest version withdraws.
_WITHDRAWN = "[withdrawn participant]"

#: Git's object modes of a file's content (a symlink is 120000, a submodule
#: 160000: neither is read, so nothing outside the tree is ever followed).
_FILE_MODES = frozenset({b"100644", b"100755", b"100664"})


@dataclass(frozen=True, eq=False)
class Version:
    """One version of the codebook, loaded.

    ``study.root`` names where it was read from; for a git revision that is
    a temporary folder, already deleted: only the loaded objects remain.
    """

    #: As the user named it: the tag or revision, the folder, or "working tree".
    label: str
    study: Study
    #: The full commit id, for a git revision; None for a folder.
    commit: str | None = None
    #: The commit's date (YYYY-MM-DD), for a git revision; None for a folder.
    date: str | None = None


# -- reading a version ------------------------------------------------------


def read_version(spec: str, codebook: Path | None, *, newest: Sequence[Study] = ()) -> Version:
    """The version ``spec`` names: a folder if there is one by that name, else
    a revision of the git repository that holds ``codebook`` (the codebook's
    folder in the working tree, which says where the codebook sits in every
    revision).

    ``codebook`` None: no working tree is known, and only a folder can be read.
    ``newest``: the newest versions being compared; a message about this one
    never names a participant that one of them withdraws. Raises
    :class:`QualsiteError` with a message saying what was asked and what to do.
    """
    folder = Path(spec)
    if folder.is_dir():
        return read_folder(folder, newest=newest)
    if folder.exists():
        raise QualsiteError(
            f"{display_path(folder)} is a file, not a version of the codebook; give a folder "
            "that holds a codebook (or the study folder that holds codebook/), or a git tag "
            "or revision"
        )
    if codebook is None:
        raise QualsiteError(
            f"'{spec}' is not a folder, so it was taken for a git revision, but no codebook is "
            "known whose git repository it could be read from; run qualsite history in the "
            "study's folder (beside mkdocs.yml), or name the codebook with --codebook"
        )
    return _read_revision(spec, codebook, newest=newest, or_folder=True)


def read_folder(folder: Path, label: str | None = None, *, newest: Sequence[Study] = ()) -> Version:
    """The codebook in ``folder`` (a codebook folder, or a study folder that
    holds ``codebook/``), labelled ``label`` or by the folder's path."""
    label = label if label is not None else display_path(folder)
    codebook = codebook_folder(folder, label)
    study = _load(codebook, label, newest=newest, shown_as=None, advice=_FIX_A_FOLDER)
    return Version(label=label, study=study)


def read_revision(revision: str, codebook: Path, *, newest: Sequence[Study] = ()) -> Version:
    """The codebook as git revision ``revision`` (a tag, a branch, a commit)
    of the repository that holds ``codebook`` had it, at the same place."""
    return _read_revision(revision, codebook, newest=newest, or_folder=False)


def read_tagged_versions(codebook: Path) -> list[Version]:
    """Every tagged version of the codebook, oldest first, then the working
    tree's: what ``qualsite history --tags`` compares, each with the next."""
    top, relative = _place_in_repository(codebook, "the tagged versions")
    tags = _tags_holding(top, relative)
    if not tags:
        raise QualsiteError(
            f"no tag of {_repository(top)} has the codebook in "
            f"{_folder_name(relative)}, so there are no tagged versions to compare; tag a "
            "version with 'git tag v1', or name the versions: qualsite history OLD [NEW]. "
            "(A CI checkout may hold no tags: fetch them, as actions/checkout does with "
            "'fetch-depth: 0')"
        )
    working = read_folder(codebook, WORKING_TREE)
    older = [read_revision(tag, codebook, newest=[working.study]) for tag in tags]
    return [*older, working]


def codebook_folder(folder: Path, label: str | None = None) -> Path:
    """The codebook ``folder`` is or holds as ``codebook/``; QualsiteError if neither."""
    if folder.is_dir() and _holds_codebook_files(folder):
        return folder
    if (folder / "codebook").is_dir():
        return folder / "codebook"
    what = f"version '{label}'" if label not in (None, display_path(folder)) else "the version"
    if not folder.is_dir():
        raise QualsiteError(
            f"{display_path(folder)}: no such folder, so {what} has no codebook; give the "
            "codebook folder, or the study folder that holds codebook/"
        )
    raise QualsiteError(
        f"{display_path(folder)} holds no codebook ({what}): neither study.yml nor the other "
        "files of a codebook, nor a codebook/ folder; give the codebook folder, or the study "
        "folder that holds codebook/"
    )


def _holds_codebook_files(folder: Path) -> bool:
    return any(next(kind_files(folder, kind), None) is not None for kind in FILE_KINDS)


def _read_revision(
    spec: str, codebook: Path, *, newest: Sequence[Study], or_folder: bool
) -> Version:
    asked = f"'{spec}' is not a folder, so it was taken for a git revision" if or_folder else ""
    top, relative = _place_in_repository(codebook, f"version '{spec}'", asked=asked)
    commit = _commit(top, spec, or_folder=or_folder)
    date = _commit_date(top, commit)
    with tempfile.TemporaryDirectory(prefix="qualsite-history-") as temporary:
        root = Path(temporary)
        written = _write_tree(top, commit, relative, root)
        if not written:
            short = commit[:7]
            raise QualsiteError(
                f"revision '{spec}' (commit {short}) of {_repository(top)} has no codebook "
                f"in {_folder_name(relative)}, where the working tree keeps it; if that "
                "version kept it elsewhere, check it out into a folder (git worktree add "
                f"../{_safe_name(spec)} {spec}) and give the codebook folder inside it"
            )
        study = _load(
            root / relative,
            spec,
            newest=newest,
            shown_as=(root, f"{spec}:"),
            advice=_fix_a_revision(spec),
        )
    return Version(label=spec, study=study, commit=commit, date=date)


# -- loading, with messages that name the version -----------------------------

_FIX_A_FOLDER = "fix them there (qualsite check lists every problem), then compare again"


def _fix_a_revision(spec: str) -> str:
    return (
        "compare from a later version instead, or check this one out into a folder "
        f"(git worktree add ../{_safe_name(spec)} {spec}), bring its codebook up to today's "
        "format there (FORMAT.md; qualsite check lists every problem), and give that folder"
    )


def _load(
    codebook: Path,
    label: str,
    *,
    newest: Sequence[Study],
    shown_as: tuple[Path, str] | None,
    advice: str,
) -> Study:
    """Load one version; a version that does not load is one QualsiteError
    naming the version and its first problems, each at ``label:path:line``
    for a revision (as git names a file of a revision), never at the
    temporary folder it was read from."""
    problems = Problems()  # its warnings are for qualsite check, not for history
    hide = _withdrawn_hider(newest)
    if hide is not None:
        problems.redact_with(hide)
    try:
        return load_study(codebook, problems)
    except StudyError as error:
        shown = [_shown(str(problem), shown_as) for problem in error.problems[:_PROBLEMS_SHOWN]]
        more = len(error.problems) - len(shown)
        lines = [
            f"version '{label}' does not load as a codebook of today's qualsite; "
            f"{counted(len(error.problems), 'problem')}"
            + (f", the first {len(shown)}:" if more else ":"),
            *(f"  {line}" for line in shown),
        ]
        if more:
            lines.append(f"  and {counted(more, 'more problem')}")
        lines.append(advice[0].upper() + advice[1:] + ".")
        raise QualsiteError("\n".join(lines)) from None


def _shown(text: str, shown_as: tuple[Path, str] | None) -> str:
    if shown_as is None:
        return text
    root, prefix = shown_as
    # As display_path wrote it: absolute, or relative to the working folder.
    for form in (root.resolve().as_posix(), root.absolute().as_posix(), display_path(root)):
        text = text.replace(form + "/", prefix)
    return text


def _withdrawn_hider(newest: Sequence[Study]) -> Callable[[str], str] | None:
    """A function that cuts the ids and labels of the participants the
    ``newest`` versions withdraw out of a message: an old version's problem
    can quote one."""
    words = {
        word
        for study in newest
        for p in study.participants
        if p.withdrawn
        for word in (p.id, p.label)
        if word
    }
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Whole words only: withdrawing P1 must not touch P10.
    pattern = re.compile(rf"(?<![\w.-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    return lambda message: pattern.sub(_WITHDRAWN, message)


# -- tags --------------------------------------------------------------------


def tagged_versions(codebook: Path) -> list[str]:
    """The tags of the repository holding ``codebook`` whose tree has the
    codebook's folder, oldest first by the tagged commit's date, then by name
    (numbers in names compared as numbers: v2 before v10)."""
    return _tags_holding(*_place_in_repository(codebook, "the tagged versions"))


def _tags_holding(top: Path, relative: PurePosixPath) -> list[str]:
    listing = _git_text(
        top,
        "for-each-ref",
        "--format=%(refname)%00%(objecttype)%00%(committerdate:unix)%00%(*objecttype)"
        "%00%(*committerdate:unix)",
        "refs/tags",
    )
    dated: dict[str, int] = {}
    for line in listing.splitlines():
        ref, kind, when, peeled_kind, peeled_when = line.split("\0")
        # A lightweight tag names a commit; an annotated one, a tag object
        # naming the commit. A tag of a tree or a blob has no codebook.
        if kind == "commit" and when:
            dated[ref] = int(when)
        elif kind == "tag" and peeled_kind == "commit" and peeled_when:
            dated[ref] = int(peeled_when)
    holding = _refs_holding(top, relative, list(dated))
    tags = [(dated[ref], _natural(ref), ref.removeprefix("refs/tags/")) for ref in holding]
    return [name for _, _, name in sorted(tags)]


def _refs_holding(top: Path, relative: PurePosixPath, refs: list[str]) -> list[str]:
    """Those of ``refs`` whose tree has the folder ``relative``, asked of git in one go."""
    if not refs:
        return []
    path = "" if relative == PurePosixPath(".") else relative.as_posix()
    queries = "".join(f"{ref}:{path}\n" for ref in refs)
    answer = _git(top, "cat-file", "--batch-check", stdin=queries.encode())
    if answer.returncode != 0:
        raise QualsiteError(f"git could not list the tags' trees: {_said(answer)}")
    lines = answer.stdout.decode("utf-8", "replace").splitlines()
    if len(lines) != len(refs):
        raise QualsiteError("git gave an answer qualsite cannot read while listing the tags")
    return [ref for ref, line in zip(refs, lines, strict=True) if line.split(" ")[1:2] == ["tree"]]


def _natural(name: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", name)
        if part
    )


# -- git ----------------------------------------------------------------------


def _place_in_repository(
    codebook: Path, what: str, *, asked: str = ""
) -> tuple[Path, PurePosixPath]:
    """The top of the git repository that holds ``codebook``, and the
    codebook's folder relative to it. ``what`` names what is being read
    ("version 'v1'"); ``asked``, how a name came to be taken for a revision."""
    start = codebook.resolve()
    while not start.is_dir() and start != start.parent:
        start = start.parent
    but = f"{asked}, but " if asked else ""
    # A tagged version has no folder to give instead; one version does.
    instead = ", or give a folder that holds the codebook of that version"
    instead = instead if what.startswith("version") else ""
    if shutil.which("git") is None:
        raise QualsiteError(
            f"{but}reading {what} needs git, which is not installed (or not on PATH); "
            f"install git{instead}"
        )
    found = _git(start, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        said = _said(found)
        detail = "" if "not a git repository" in said.lower() else f" (git says: {said})"
        raise QualsiteError(
            f"{but}{display_path(codebook)} is not in a git repository{detail}, so {what} "
            "cannot be read from one; run qualsite history in the study's git repository "
            f"(or name its codebook with --codebook){instead}"
        )
    top = Path(os.fsdecode(found.stdout.rstrip(b"\r\n")))
    try:
        inside = start.relative_to(top.resolve())
    except ValueError:
        raise QualsiteError(
            f"{display_path(codebook)} is not inside {_repository(top)}; "
            "name the codebook's folder inside the repository with --codebook"
        ) from None
    relative = PurePosixPath(inside.as_posix(), codebook.resolve().relative_to(start).as_posix())
    if "\n" in relative.as_posix():
        raise QualsiteError(
            f"{display_path(codebook)}: git cannot be asked about a folder whose name holds a "
            "line break; rename it"
        )
    return top, relative


def _commit(top: Path, spec: str, *, or_folder: bool) -> str:
    """The full id of the commit ``spec`` names in the repository at ``top``."""
    # An option-like name is never handed to git, where it would be read as one.
    if spec and not spec.startswith("-") and "\n" not in spec:
        found = _git(top, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
        if found.returncode == 0:
            return found.stdout.decode("ascii").strip()
    tags = _git_text(top, "for-each-ref", "--format=%(refname:strip=2)", "refs/tags").splitlines()
    guess = closest(spec, tags) if tags else None
    mean = f" (did you mean '{guess}'?)" if guess is not None else ""
    listed = f"; its tags are {_some(tags)}" if tags else "; it has no tags (git tag v1 makes one)"
    nothing = "is neither a folder nor a revision" if or_folder else "is not a revision"
    raise QualsiteError(
        f"'{spec}' {nothing} (a tag, branch or commit) of {_repository(top)}{mean}"
        f"{listed}; give a tag or commit that git log shows"
        + (", or a folder that holds a codebook" if or_folder else "")
    )


def _commit_date(top: Path, commit: str) -> str | None:
    """The day the commit was made (YYYY-MM-DD), in its committer's time zone.

    Read from the commit object itself: ``git show`` would obey the user's
    configuration (signatures shown, say) and print more than the date.
    """
    for line in _git_text(top, "cat-file", "commit", commit).splitlines():
        if not line:
            break  # the headers end where the message begins
        found = _COMMITTER.fullmatch(line)
        if found is not None:
            sign = -1 if found["sign"] == "-" else 1
            offset = timedelta(hours=int(found["hours"]), minutes=int(found["minutes"]))
            zone = timezone(sign * offset)
            return datetime.fromtimestamp(int(found["when"]), zone).date().isoformat()
    return None


_COMMITTER = re.compile(
    r"committer .* (?P<when>\d+) (?P<sign>[+-])(?P<hours>\d\d)(?P<minutes>\d\d)"
)


def _some(names: Sequence[str], most: int = 10) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _write_tree(top: Path, commit: str, relative: PurePosixPath, root: Path) -> int:
    """Write the files under ``relative`` in ``commit`` into ``root`` (at the
    same relative paths); returns how many. Only plain files are written, and
    only inside ``root``."""
    whole = relative == PurePosixPath(".")
    listing = _git(
        top,
        "ls-tree",
        "-r",
        "-z",
        "--full-tree",
        commit,
        *(() if whole else ("--", relative.as_posix())),
    )
    if listing.returncode != 0:
        raise QualsiteError(f"git could not list the files of {commit[:7]}: {_said(listing)}")
    wanted: list[tuple[bytes, Path]] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob = meta.split(b" ")
        path = PurePosixPath(os.fsdecode(raw_path))
        inside = whole or path.parts[: len(relative.parts)] == relative.parts
        if kind == b"blob" and mode in _FILE_MODES and inside and len(path.parts) > 0:
            wanted.append((blob, _inside(root, path)))
    for (_, target), content in zip(wanted, _blobs(top, [b for b, _ in wanted]), strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(wanted)


def _inside(root: Path, path: PurePosixPath) -> Path:
    """``root / path``, after making sure that it stays inside ``root``."""
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise QualsiteError(f"git listed a file at an unsafe path, '{path}'; nothing was read")
    target = root.joinpath(*path.parts)
    base = root.resolve()
    if not target.resolve().is_relative_to(base) or target.resolve() == base:
        raise QualsiteError(f"git listed a file at an unsafe path, '{path}'; nothing was read")
    return target


def _blobs(top: Path, blobs: list[bytes]) -> Iterator[bytes]:
    """The contents of ``blobs``, in order, read with one ``git cat-file``."""
    if not blobs:
        return
    answer = _git(top, "cat-file", "--batch", stdin=b"".join(b + b"\n" for b in blobs))
    if answer.returncode != 0:
        raise QualsiteError(f"git could not read the codebook's files: {_said(answer)}")
    data, at = answer.stdout, 0
    for _ in blobs:
        end = data.index(b"\n", at)
        header = data[at:end].split(b" ")
        if len(header) != 3 or header[1] != b"blob":
            raise QualsiteError("git could not read one of the codebook's files; nothing was read")
        size = int(header[2])
        yield data[end + 1 : end + 1 + size]
        at = end + 1 + size + 1  # the content, then a line break


def _git(where: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise QualsiteError("qualsite history needs git, which is not installed (or not on PATH)")
    environment = {
        **os.environ,
        # Paths are paths, not patterns; messages in English, to be recognised;
        # never a prompt for a password (nothing here needs a network).
        "GIT_LITERAL_PATHSPECS": "1",
        "LC_ALL": "C",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    try:
        return subprocess.run(
            [git, "-C", str(where), *args],
            input=stdin,
            capture_output=True,
            env=environment,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise QualsiteError(
            f"git did not answer within 5 minutes ({' '.join(args[:2])}); try again"
        ) from None


def _git_text(where: Path, *args: str) -> str:
    answer = _git(where, *args)
    if answer.returncode != 0:
        raise QualsiteError(f"git {args[0]} failed in {display_path(where)}: {_said(answer)}")
    return answer.stdout.decode("utf-8", "replace").strip()


def _said(answer: subprocess.CompletedProcess[bytes]) -> str:
    lines = answer.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0].removeprefix("fatal: ") if lines else f"exit status {answer.returncode}"


def _repository(top: Path) -> str:
    where = display_path(top)
    return "the git repository in this folder" if where == "." else f"the git repository at {where}"


def _folder_name(relative: PurePosixPath) -> str:
    if relative == PurePosixPath("."):
        return "the repository's top folder"
    return f"its folder {relative.as_posix()}/"


def _safe_name(spec: str) -> str:
    """A folder name made from a revision, for the advice to check it out."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", spec).strip("-.") or "old-version"

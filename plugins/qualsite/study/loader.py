"""Load a codebook folder into a validated :class:`Study`.

The loader reads every file, validates every record and runs the integrity
checks before it decides anything; all problems are then raised together in
one :class:`~qualsite.errors.StudyError`, so a user fixes a study in one pass
instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Problems, closest, display_path
from ..fields import FieldLines, ListOf, Origin, ReadContext, Record, RecordValue
from ..reference import see_format
from ..yaml_source import (
    MAX_ALIAS_CHARACTERS_IN_ALL,
    YamlDocument,
    keep_parses_of,
    read_yaml,
    remembering_parses,
)
from .format import FILE_KINDS, SINGLE_FILE_KINDS, FileKind
from .integrity import check_integrity
from .model import (
    Author,
    Category,
    Excerpt,
    ExcerptKind,
    Memo,
    Participant,
    RetiredCategory,
    SourceLocator,
    Study,
    StudyMeta,
)
from .publication import check_publication, read_publication
from .raw import RawStudy

YAML_SUFFIXES = (".yml", ".yaml")

#: What is checked against each kind of file: when a file of the kind could
#: not be read, those checks are left out (each would report a reference to
#: what the file defines as unknown, burying the one real problem), and the
#: report says so.
CHECKS_AGAINST: dict[str, str] = {
    "participants": "the participants that excerpts name",
    "categories": "the categories that excerpts, tables, the model and your pages name",
    "excerpts": "the excerpts that your pages embed",
    "tables": "the tables that your pages embed",
    "model": "the figure that your pages embed",
}


def load_study(codebook: Path, problems: Problems | None = None) -> Study:
    """Read and validate the study in ``codebook``.

    Raises :class:`StudyError` listing every error. Warnings (problems that do
    not stop a build) are added to ``problems`` when it is given.
    """
    problems = problems if problems is not None else Problems()
    raw = read_codebook(codebook, problems)
    study = check_integrity(raw, codebook, problems)
    problems.raise_for_errors()
    assert study is not None  # no errors means the integrity checks built it
    return study


def read_codebook(codebook: Path, problems: Problems) -> RawStudy:
    """Read every file of the codebook, recording problems; never raises.

    What could be read is returned even when there are errors, so that other
    checks (the embeds in the user's pages) can run in the same pass.
    """
    raw = RawStudy()
    if not codebook.is_dir():
        problems.error(
            Location(display_path(codebook)),
            "the codebook folder does not exist; create it, or set the plugin's "
            "'codebook' option to the folder that holds study.yml",
        )
        raw.unreadable.update(kind.stem for kind in FILE_KINDS)
        return raw
    read: list[Path] = []
    for kind in FILE_KINDS:
        paths = list(kind_files(codebook, kind))
        if not paths and kind.required:
            problems.error(
                Location(display_path(codebook / f"{kind.stem}.yml")),
                f"missing file: a study needs {kind.stem}.yml ({see_format(kind.stem)})",
            )
            raw.unreadable.add(kind.stem)
        for path in paths:
            _read_file(kind, path, raw, problems)
        read += paths
    # What was kept of a file that is gone (deleted, renamed) goes with it.
    keep_parses_of(read)
    for gone in _EXCERPT_FILES.keys() - {str(path) for path in read}:
        del _EXCERPT_FILES[gone]
    if raw.alias_characters > MAX_ALIAS_CHARACTERS_IN_ALL:
        problems.error(
            Location(display_path(codebook)),
            f"anchors and aliases repeat {raw.alias_characters:,} characters of text in the "
            f"codebook's files, more than the limit of {MAX_ALIAS_CHARACTERS_IN_ALL:,} for a "
            "study; repeat long text less often, or write it out where it is needed",
        )
    _warn_about_unread_files(codebook, problems)
    _note_skipped_checks(raw, problems)
    return raw


def _note_skipped_checks(raw: RawStudy, problems: Problems) -> None:
    for stem, paths in raw.failed_files.items():
        if stem in CHECKS_AGAINST:
            files = " and ".join(paths)
            problems.note(f"Not checked until {files} can be read: {CHECKS_AGAINST[stem]}.")


def kind_files(codebook: Path, kind: FileKind) -> Iterator[Path]:
    """``<stem>.yml`` and every YAML file under ``<stem>/``, in path order."""
    for suffix in YAML_SUFFIXES:
        single = codebook / f"{kind.stem}{suffix}"
        if single.is_file():
            yield single
    folder = codebook / kind.stem
    if kind.stem not in SINGLE_FILE_KINDS and folder.is_dir():
        found = [p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()]
        # Sorted by their path, never by the order the file system lists them.
        yield from sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _warn_about_unread_files(codebook: Path, problems: Problems) -> None:
    """A file or folder the user meant qualsite to read, under another name:
    ``Excerpts/``, ``excerpt/``, ``categorie.yml``, ``study/``."""
    for entry in sorted(codebook.iterdir()):
        if entry.name.startswith("."):
            continue
        advice = (
            _folder_advice(codebook, entry) if entry.is_dir() else _file_advice(codebook, entry)
        )
        if advice is not None:
            problems.warning(Location(display_path(entry)), f"qualsite does not read this {advice}")
    for stem in _FOLDER_KINDS:
        if (codebook / stem).is_dir():
            _warn_about_uppercase_suffixes(codebook / stem, problems)


def _warn_about_uppercase_suffixes(folder: Path, problems: Problems) -> None:
    """``P3.YML`` in ``excerpts/``: YAML, but qualsite reads .yml and .yaml only
    (on any disk: suffixes are compared as written)."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in YAML_SUFFIXES and path.suffix not in YAML_SUFFIXES:
            problems.warning(
                Location(display_path(path)),
                "qualsite does not read this file: it reads files ending in .yml or .yaml, "
                f"in lowercase; rename it '{path.stem}{path.suffix.lower()}'",
            )


_FOLDER_KINDS = [kind.stem for kind in FILE_KINDS if kind.stem not in SINGLE_FILE_KINDS]
_WHAT_THE_CODEBOOK_HOLDS = (
    "; the codebook holds "
    + ", ".join(f"{kind.stem}.yml" for kind in FILE_KINDS[:-1])
    + f" and {FILE_KINDS[-1].stem}.yml, or folders "
    + ", ".join(f"{stem}/" for stem in _FOLDER_KINDS[:-1])
    + f" and {_FOLDER_KINDS[-1]}/ of such files"
)


def _folder_advice(codebook: Path, folder: Path) -> str | None:
    """Why ``folder`` is not read and what to do, or None when it is read."""
    if folder.name in _FOLDER_KINDS or _read_under_its_own_name(codebook, folder):
        return None
    if folder.name in SINGLE_FILE_KINDS:
        return (
            f"folder: {folder.name}.yml is one file, not a folder; move what the folder "
            f"holds into {display_path(codebook / folder.name)}.yml"
        )
    meant = closest(folder.name.casefold(), _FOLDER_KINDS)
    if meant is not None:
        lowercase = ", in lowercase" if folder.name.casefold() == meant else ""
        return f"folder (did you mean '{meant}/'?); rename it '{meant}'{lowercase}"
    return "folder" + _WHAT_THE_CODEBOOK_HOLDS


def _file_advice(codebook: Path, file: Path) -> str | None:
    """Why ``file`` is not read and what to do, or None when it is read or is
    not YAML (notes kept beside the codebook are the user's business)."""
    known = [kind.stem for kind in FILE_KINDS]
    if file.suffix in YAML_SUFFIXES and file.stem in known:
        return None
    if file.suffix.lower() not in YAML_SUFFIXES or _read_under_its_own_name(codebook, file):
        return None
    meant = closest(file.stem.casefold(), known)
    if meant is not None:
        name = f"{meant}{file.suffix.lower()}"
        lowercase = ", in lowercase" if file.name.casefold() == name else ""
        return f"file (did you mean '{name}'?); rename it '{name}'{lowercase}"
    return "file" + _WHAT_THE_CODEBOOK_HOLDS


def _read_under_its_own_name(codebook: Path, entry: Path) -> bool:
    """True when ``entry`` is what qualsite reads under its lowercase name,
    as on a disk that ignores case (macOS, Windows): ``Excerpts/`` is then
    the ``excerpts/`` folder."""
    lowercase = codebook / entry.name.lower()
    return lowercase.name != entry.name and lowercase.exists() and lowercase.samefile(entry)


@dataclass(frozen=True)
class _ExcerptFile:
    """What reading one excerpts file added to the study and the report."""

    document: YamlDocument
    part: RawStudy
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]

    def add_to(self, raw: RawStudy, problems: Problems) -> None:
        # An excerpts file adds to these fields only (_take_excerpt).
        raw.alias_characters += self.part.alias_characters
        raw.unreadable |= self.part.unreadable
        for stem, paths in self.part.failed_files.items():
            raw.failed_files.setdefault(stem, []).extend(paths)
        raw.excerpts.extend(self.part.excerpts)
        raw.dropped_excerpts.extend(self.part.dropped_excerpts)
        problems.extend(self.problems)
        for note in self.notes:
            problems.note(note)


#: Under ``mkdocs serve`` (while parses are remembered), what each excerpts
#: file gave the last read, by its path: a file whose parse is the same
#: object (so whose bytes are the same) gives the same again without being
#: read field by field (10,000 excerpts: 0.2 s of a rebuild).
_EXCERPT_FILES: dict[str, _ExcerptFile] = {}


def _read_file(kind: FileKind, path: Path, raw: RawStudy, problems: Problems) -> None:
    document = read_yaml(path, problems)
    remembering = remembering_parses()
    if not remembering:
        _EXCERPT_FILES.clear()
    if kind.stem != "excerpts" or document is None or not remembering:
        _read_document(kind, path, document, raw, problems)
        return
    kept = _EXCERPT_FILES.get(str(path))
    if kept is None or kept.document is not document:
        part, found = RawStudy(), Problems()
        _read_document(kind, path, document, part, found)
        kept = _EXCERPT_FILES[str(path)] = _ExcerptFile(
            document, part, tuple(found), tuple(found.notes)
        )
    kept.add_to(raw, problems)


def _read_document(
    kind: FileKind, path: Path, document: YamlDocument | None, raw: RawStudy, problems: Problems
) -> None:
    if document is None or document.root is None:
        if document is not None:
            problems.error(document.location(None), _nothing_in(document, kind))
        raw.unreadable.add(kind.stem)
        raw.failed_files.setdefault(kind.stem, []).append(display_path(path))
        return
    raw.alias_characters += document.alias_characters
    ctx = ReadContext(document, problems)
    record = kind.spec.read(document.root, ctx)
    if not isinstance(record, RecordValue) or kind.stem not in record.values:
        raw.unreadable.add(kind.stem)
    if not isinstance(record, RecordValue) or (
        kind.stem in kind.spec.fields and kind.stem not in record.values
    ):
        # Not a mapping, or its list ("categories:") could not be read.
        raw.failed_files.setdefault(kind.stem, []).append(document.path)
    if not isinstance(record, RecordValue):
        return
    if kind.stem == "study":
        _take_meta(record, raw, problems)
    elif kind.stem == "participants":
        for item in record.get("participants", []):
            _take_participant(item, raw)
    elif kind.stem == "categories":
        for position, item in enumerate(record.get("categories", [])):
            _take_category(item, position, raw)
        for item in record.get("retired", []):
            if item.complete:
                raw.retired.append(
                    RetiredCategory(
                        id=item.get("id"),
                        origin=item.origin,
                        name=item.get("name"),
                        merged_into=item.get("merged_into"),
                        split_into=tuple(item.get("split_into", ())),
                        reason=item.get("reason"),
                    )
                )
    elif kind.stem == "excerpts":
        for item in record.get("excerpts", []):
            _take_excerpt(item, record, raw, problems)
    elif kind.stem == "tables":
        raw.tables.extend(record.get("tables", []))
    elif kind.stem == "model":
        raw.model = record
    elif kind.stem == "decisions":
        raw.decisions.extend(record.get("decisions", []))
    elif kind.stem == "checklist":
        if raw.checklist is not None:
            problems.error(
                record.origin.location,
                f"a second checklist; keep one (the first is {raw.checklist.origin.location})",
            )
            return
        raw.checklist = record


def _nothing_in(document: YamlDocument, kind: FileKind) -> str:
    """The message for a file with nothing in it: what it should hold."""
    what = "holds only comments" if document.only_comments else "is empty"
    return f"the file {what}; {_what_it_needs(kind.spec)} ({see_format(kind.stem)})"


def _what_it_needs(spec: Record) -> str:
    """``a categories file needs 'categories:' with a list of categories, each
    with 'id' and 'name'``, from the file's own declaration."""
    needs: list[str] = []
    for name, declared in spec.fields.items():
        if not declared.required:
            continue
        need = f"'{name}:'"
        if isinstance(declared.spec, ListOf):
            need += f" with {declared.spec.expected}"
            item = declared.spec.item
            if isinstance(item, Record):
                each = [f"'{n}'" for n, field in item.fields.items() if field.required]
                need += f", each with {_listed(each)}" if each else ""
        needs.append(need)
    return f"{spec.expected} needs {_listed(needs)}"


def _listed(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def _take_meta(record: RecordValue, raw: RawStudy, problems: Problems) -> None:
    if raw.meta is not None:
        problems.error(record.origin.location, "a second study description; keep one study.yml")
        return
    publication = record.get("publication")
    # Checked even when another field failed, so that one run reports all.
    if publication is not None and not check_publication(publication, problems):
        return
    if not record.complete:
        return
    values: dict[str, Any] = dict(record.values)

    def people(records: list[RecordValue]) -> tuple[Author, ...]:
        return tuple(
            Author(
                a.get("name"),
                a.get("affiliation"),
                a.get("orcid"),
                a.get("given"),
                a.get("family"),
                a.get("organisation", False),
            )
            for a in records
            if a.complete
        )

    authors = people(values.pop("authors"))
    values["site_authors"] = people(values.pop("site_authors", []))
    publication = values.pop("publication", None)
    if publication is not None:
        values["publication"] = read_publication(
            publication,
            study_title=values["title"],
            study_authors=authors,
            authors=people(publication.get("authors", [])),
        )
    labels = values.pop("excerpt_labels", None)
    added = values.pop("added_labels", None)
    raw.meta = StudyMeta(
        authors=authors,
        origin=record.origin,
        excerpt_labels=dict(labels.values) if labels is not None else {},
        added_labels=dict(added.values) if added is not None else {},
        **values,
    )


def _take_participant(item: RecordValue, raw: RawStudy) -> None:
    participant_id = item.get("id")
    if participant_id is not None:
        raw.participant_ids_seen.add(participant_id)
    if not item.complete:
        return
    raw.participants.append(
        Participant(
            id=participant_id,
            label=item.get("label", participant_id),
            origin=item.origin,
            attributes=item.get("attributes", {}),
            withdrawn=item.get("withdrawn", False),
            guid=item.get("guid"),
        )
    )


def _take_category(item: RecordValue, position: int, raw: RawStudy) -> None:
    category_id = item.get("id")
    if category_id is not None:
        raw.category_ids_seen.add(category_id)
    if not item.complete:
        return
    raw.categories.append(
        Category(
            id=category_id,
            name=item.get("name"),
            origin=item.origin,
            parent_id=item.get("parent"),
            level=item.get("level"),
            definition=item.get("definition"),
            memos=tuple(_memo(memo) for memo in item.get("memo", ())),
            order=item.get("order"),
            core=item.get("core", False),
            color=item.get("color"),
            guid=item.get("guid"),
            renamed_from=tuple(item.get("renamed_from", ())),
        )
    )


def _memo(value: str | RecordValue) -> Memo:
    if isinstance(value, str):
        return Memo(value)
    return Memo(value.get("text", ""), value.get("reviewed", True), value.get("date"))


def _take_excerpt(
    item: RecordValue, file_record: RecordValue, raw: RawStudy, problems: Problems
) -> None:
    participant_id = item.get("participant", file_record.get("participant"))
    written = (
        "participant" in item.origin.field_lines or "participant" in file_record.origin.field_lines
    )
    if participant_id is None and not written:
        problems.error(
            item.origin.location,
            "missing required field 'participant' in an excerpt "
            "(set it on the excerpt, or once at the top of the file)",
        )
        return
    origin = item.origin
    if "participant" not in origin.field_lines and "participant" in file_record.origin.field_lines:
        # A participant set once for the file is reported at that one line.
        line = file_record.origin.field_lines["participant"]
        lines = origin.field_lines
        if isinstance(lines, FieldLines):
            lines = lines.with_line("participant", line)
        else:
            lines = {**lines, "participant": line}
        origin = Origin(origin.path, origin.line, lines)
    source = item.get("source")
    excerpt = Excerpt(
        id=item.get("id", ""),
        participant_id=participant_id or "",
        text=item.get("text", ""),
        category_ids=tuple(item.get("categories", ())),
        origin=origin,
        kind=ExcerptKind(item.get("kind", file_record.get("kind", ExcerptKind.VERBATIM.value))),
        source=SourceLocator(**source.values) if source is not None else None,
        publish=item.get("publish", True),
        illustrates=tuple(item.get("illustrates", ())),
        allow=tuple(item.get("allow", ())),
        reviewed=item.get("reviewed", True),
        memos=tuple(item.get("memo", ())),
        guid=item.get("guid"),
    )
    if item.complete and participant_id is not None:
        raw.excerpts.append(excerpt)
    else:
        raw.dropped_excerpts.append(excerpt)

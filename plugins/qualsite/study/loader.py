"""Load a codebook folder into a validated :class:`Study`.

The loader reads every file, validates every record and runs the integrity
checks before it decides anything; all problems are then raised together in
one :class:`~qualsite.errors.StudyError`, so a user fixes a study in one pass
instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Location, Problems, display_path
from ..fields import Origin, ReadContext, RecordValue
from ..yaml_source import MAX_ALIAS_CHARACTERS_IN_ALL, read_yaml
from .format import FILE_KINDS, SINGLE_FILE_KINDS, FileKind
from .integrity import check_integrity
from .model import (
    Author,
    Category,
    Excerpt,
    ExcerptKind,
    Memo,
    Participant,
    SourceLocator,
    Study,
    StudyMeta,
)
from .publication import check_publication, read_publication
from .raw import RawStudy

YAML_SUFFIXES = (".yml", ".yaml")


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
    for kind in FILE_KINDS:
        paths = list(kind_files(codebook, kind))
        if not paths and kind.required:
            problems.error(
                Location(display_path(codebook / f"{kind.stem}.yml")),
                f"missing file: a study needs {kind.stem}.yml (see FORMAT.md)",
            )
            raw.unreadable.add(kind.stem)
        for path in paths:
            _read_file(kind, path, raw, problems)
    if raw.alias_characters > MAX_ALIAS_CHARACTERS_IN_ALL:
        problems.error(
            Location(display_path(codebook)),
            f"anchors and aliases repeat {raw.alias_characters:,} characters of text in the "
            f"codebook's files, more than the limit of {MAX_ALIAS_CHARACTERS_IN_ALL:,} for a "
            "study; repeat long text less often, or write it out where it is needed",
        )
    _warn_about_unread_files(codebook, problems)
    return raw


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
    known = {kind.stem for kind in FILE_KINDS}
    for entry in sorted(codebook.iterdir()):
        stem = entry.stem if entry.is_file() else entry.name
        if entry.name.startswith(".") or (stem in known and not _single_file_folder(entry)):
            continue
        if entry.is_dir() or entry.suffix in YAML_SUFFIXES:
            problems.warning(
                Location(display_path(entry)),
                "qualsite does not read this; the codebook holds "
                + ", ".join(f"{s}.yml" for s in sorted(known)),
            )


def _single_file_folder(entry: Path) -> bool:
    return entry.is_dir() and entry.name in SINGLE_FILE_KINDS


def _read_file(kind: FileKind, path: Path, raw: RawStudy, problems: Problems) -> None:
    document = read_yaml(path, problems)
    if document is None:
        raw.unreadable.add(kind.stem)
        return
    raw.alias_characters += document.alias_characters
    ctx = ReadContext(document, problems)
    if document.root is None:
        problems.error(document.location(None), f"the file is empty; see FORMAT.md for {kind.stem}")
        raw.unreadable.add(kind.stem)
        return
    record = kind.spec.read(document.root, ctx)
    if not isinstance(record, RecordValue) or kind.stem not in record.values:
        raw.unreadable.add(kind.stem)
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
    elif kind.stem == "excerpts":
        for item in record.get("excerpts", []):
            _take_excerpt(item, record, raw, problems)
    elif kind.stem == "tables":
        raw.tables.extend(record.get("tables", []))
    elif kind.stem == "model":
        raw.model = record


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
        )
    )


def _memo(value: str | RecordValue) -> Memo:
    if isinstance(value, str):
        return Memo(value)
    return Memo(value.get("text", ""), value.get("reviewed", True))


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
        origin = Origin(
            origin.path,
            origin.line,
            {**origin.field_lines, "participant": file_record.origin.field_lines["participant"]},
        )
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

"""Opening REFI-QDA files safely.

A ``.qdpx`` is a zip archive from somewhere else: its entry names, its size
and its compression are all checked before anything is extracted, and XML is
parsed with defusedxml (no external entities, no entity expansion).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import QualsiteError, display_path

#: Limits for an archive (documented in the README): a real project with many
#: interviews stays far below them; a zip bomb does not.
MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200  # uncompressed / compressed, for entries above MIN_RATIO_CHECK
MIN_RATIO_CHECK = 1024 * 1024
MAX_XML_BYTES = 512 * 1024**2

PROJECT_ENTRY = "project.qde"


class ImportError_(QualsiteError):
    """A REFI-QDA file that cannot be imported (the message says why)."""


@dataclass
class Archive:
    """The parts of a REFI-QDA file: its XML and, for a project, its sources."""

    path: Path
    root: Element
    kind: str  # "project" or "codebook"
    _zip: zipfile.ZipFile | None = None
    _names: dict[str, str] = field(default_factory=dict)  # folded name -> entry

    def read_source(self, name: str) -> bytes | None:
        """An internal source file, or None if the archive does not hold it.

        The standard keeps them in ``sources/``; some tools write
        ``Sources/``, so the folder's case is not insisted on.
        """
        if self._zip is None:
            return None
        if not self._names:
            self._names = {n.replace("\\", "/").casefold(): n for n in self._zip.namelist()}
        entry = self._names.get(f"sources/{name}".casefold())
        return _read_entry(self._zip, entry, display_path(self.path)) if entry else None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def open_archive(path: Path) -> Archive:
    shown = display_path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportError_(f"{shown}: no such file")
    if suffix == ".qdc":
        if path.stat().st_size > MAX_XML_BYTES:
            raise ImportError_(f"{shown}: the codebook is larger than {MAX_XML_BYTES // 2**20} MiB")
        return Archive(path, parse_xml(path.read_bytes(), shown), "codebook")
    # A project is a zip: MAXQDA's users often share one named .zip.
    if suffix not in (".qdpx", ".zip"):
        raise ImportError_(
            f"{shown}: expected a REFI-QDA project (.qdpx, or a .zip of one) or codebook "
            "(.qdc); export one from your QDA tool (see the README)"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportError_(f"{shown}: not a readable .qdpx (zip) file: {error}") from None
    try:
        _check_entries(archive, shown)
        entry = _project_entry(archive, shown)
        if archive.getinfo(entry).file_size > MAX_XML_BYTES:
            raise ImportError_(
                f"{shown}: the project's XML is larger than {MAX_XML_BYTES // 2**20} MiB; refused"
            )
        data = _read_entry(archive, entry, shown)
        # Named by its place: ATLAS.ti names the XML after the project, and a
        # project may be named after the people or the service it studies.
        return Archive(path, parse_xml(data, f"{shown}, the project's XML"), "project", archive)
    except BaseException:
        archive.close()
        raise


def _read_entry(archive: zipfile.ZipFile, entry: str, shown: str) -> bytes:
    """An entry's bytes; a damaged, encrypted or oddly compressed entry is a
    message, not a traceback. The message names the entry by its place, not
    its name: sources are often named after the person interviewed."""
    place = _place(archive, entry)
    try:
        return archive.read(entry)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise ImportError_(f"{shown}: {place} of the archive is damaged") from None
    except RuntimeError:  # encrypted
        raise ImportError_(f"{shown}: {place} of the archive is encrypted") from None
    except NotImplementedError:  # compression method
        raise ImportError_(
            f"{shown}: {place} of the archive is compressed in a way that cannot be read"
        ) from None


def _place(archive: zipfile.ZipFile, entry: str) -> str:
    names = archive.namelist()
    if entry == PROJECT_ENTRY or entry.lower().endswith(".qde"):
        return "the project's XML"
    return f"entry {names.index(entry) + 1} of {len(names)}" if entry in names else "an entry"


def _project_entry(archive: zipfile.ZipFile, shown: str) -> str:
    """The project's XML: ``project.qde`` by the standard; ATLAS.ti names it
    after the project, so any single ``.qde`` at the top will do."""
    names = archive.namelist()
    if PROJECT_ENTRY in names:
        return PROJECT_ENTRY
    candidates = [n for n in names if "/" not in n and n.lower().endswith(".qde")]
    if len(candidates) == 1:
        return candidates[0]
    raise ImportError_(
        f"{shown}: the archive holds no {PROJECT_ENTRY}"
        + (" (and several .qde files)" if candidates else "")
        + "; it is not a REFI-QDA project"
    )


def _check_entries(archive: zipfile.ZipFile, shown: str) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImportError_(
            f"{shown}: the archive has {len(entries):,} entries, more than {MAX_ENTRIES:,}"
        )
    total = 0
    for entry in entries:
        name = entry.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
            raise ImportError_(
                f"{shown}: entry {len(entries) and entries.index(entry) + 1} of the archive "
                "points outside it; refused"
            )
        total += entry.file_size
        if total > MAX_TOTAL_BYTES:
            raise ImportError_(
                f"{shown}: the archive would unpack to more than "
                f"{MAX_TOTAL_BYTES // 2**30} GiB; refused"
            )
        if entry.file_size > MIN_RATIO_CHECK and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise ImportError_(
                f"{shown}: entry {entries.index(entry) + 1} of the archive is compressed more "
                f"than {MAX_RATIO} to 1 (a zip bomb?); refused"
            )


def parse_xml(data: bytes, shown: str) -> Element:
    try:
        root: Element = fromstring(data)
        return root
    except DefusedXmlException as error:
        raise ImportError_(
            f"{shown}: the XML uses entities or external references, which are refused ({error})"
        ) from None
    except Exception as error:  # xml.etree.ElementTree.ParseError and kin
        raise ImportError_(f"{shown}: not well-formed XML: {error}") from None

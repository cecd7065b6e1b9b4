"""Which reading each file of a finished site gets, and the files inside it.

A file is known by its bytes first (a zip, whatever its name: a Word file,
a REFI-QDA project; a gzip: the sitemap; a PDF, whose pages are read as
the text files inside it, :mod:`.pdf`), then by its name. Text is decoded
as UTF-8 (or UTF-16 with a byte-order mark); a text file in another
encoding (a CSV saved by Excel) is read as Latin-1, which decodes any byte,
rather than left unread. What holds no text (images, sound, fonts) is read
by name only, and said so.

Big files and big members of an archive (a 50,000-excerpt study's Word
export holds 60 MB of XML) are read in pieces of half a megabyte, cut where
markup or a line ends, so that the gate never holds a whole one twice.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import PurePosixPath
from typing import BinaryIO, Protocol

from .markup import View, code_views, json_views, markup_views, plain_views, stylesheet_views
from .pdf import PdfDamagedError, PdfText, looks_like_pdf, pdf_views

#: How much text is read at a time (each piece is copied a few times as it
#: is decoded and taken apart: smaller pieces keep the gate's memory low).
PIECE = 512 * 2**10

#: The most a file inside an archive, or a gzip's content, may unpack to
#: (an archive bomb is refused, and reported as such).
MAX_UNPACKED_BYTES = 1024 * 2**20

#: Kinds of file that hold no text the gate can read (it reads their names).
OPAQUE_SUFFIXES = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".bmp",
        ".ico",
        ".tif",
        ".tiff",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".m4a",
        ".wav",
        ".ogg",
        ".webm",
        ".mov",
        ".psd",
        ".heic",
    ]
)
_MARKUP = frozenset(
    [
        ".html",
        ".htm",
        ".xhtml",
        ".xml",
        ".svg",
        ".rels",
        ".qde",
        ".qdc",
        ".opf",
        ".ncx",
        ".xsl",
        ".xsd",
        ".vml",
    ]
)
_JSON = frozenset([".json", ".webmanifest", ".map"])
_CODE = frozenset([".js", ".mjs"])
_STYLESHEET = frozenset([".css"])
_PLAIN = frozenset(
    [
        ".txt",
        ".md",
        ".markdown",
        ".csv",
        ".tsv",
        ".tex",
        ".bib",
        ".cff",
        ".dot",
        ".gv",
        ".yml",
        ".yaml",
        ".rst",
        ".ris",
        ".log",
    ]
)

#: Where a piece of each kind of text may be cut, and how it is read.
_KINDS: dict[str, tuple[str, Callable[[str], Iterator[View]]]] = {
    "markup": (">", markup_views),
    "json": ("},", json_views),
    "code": ("\n", code_views),
    "stylesheet": ("}", stylesheet_views),
    "plain": ("\n", plain_views),
}

Opener = Callable[[], BinaryIO]


@dataclass(frozen=True, slots=True)
class Member:
    """A file inside another (a zip's entry, a gzip's content)."""

    name: str
    opener: Opener | None  # None: a folder, or an entry that cannot be read
    size: int = 0
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """How a file is read: views of its text, files inside it, or neither
    (``opaque``: only its name could be checked)."""

    views: Iterator[View] = field(default_factory=lambda: iter(()))
    members: Iterator[Member] = field(default_factory=lambda: iter(()))
    opaque: bool = False
    #: Why it could not be read, when it should have been.
    problem: str | None = None


def read(name: str, opener: Opener) -> Reading:
    """Read one file by what it is: its first bytes, then its name.

    Raises :class:`DamagedError` for a member of an archive that cannot be
    unpacked (here, or later while its views are read)."""
    with opener() as stream:
        head = stream.read(_SNIFF)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Reading(members=_zip_members(opener))
    if head.startswith(b"\x1f\x8b"):
        inner = name[:-3] if name.lower().endswith(".gz") else name + ".unpacked"
        return Reading(members=iter([Member(PurePosixPath(inner).name, _gunzipping(opener))]))
    if looks_like_pdf(name, head):
        return _pdf_reading(opener)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in OPAQUE_SUFFIXES:
        return Reading(opaque=True)
    kind = _kind(suffix)
    if kind == "unknown":
        if not _looks_like_text(head):
            return Reading(opaque=True)
        kind = "markup" if b"<" in head else "code"
    return Reading(views=_views(opener, kind))


#: How much of a file is looked at to tell what it is.
_SNIFF = 8192


def _looks_like_text(head: bytes) -> bool:
    """The start of a file of no known kind: UTF-8 (a character cut at the
    end aside) or UTF-16 with its byte-order mark, and no NUL byte."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3 and len(head) == _SNIFF
    return True


def _kind(suffix: str) -> str:
    if suffix in _MARKUP:
        return "markup"
    if suffix in _JSON:
        return "json"
    if suffix in _CODE:
        return "code"
    if suffix in _STYLESHEET:
        return "stylesheet"
    if suffix in _PLAIN:
        return "plain"
    return "unknown"


def _views(opener: Opener, kind: str) -> Iterator[View]:
    """The views of each piece of the text; a plain text's views know the
    line their piece starts on."""
    boundary, read_piece = _KINDS[kind]
    line = 1
    for piece in _pieces(opener, boundary):
        for view in read_piece(piece):
            yield replace(view, first_line=line) if view.first_line else view
        line += piece.count("\n")


def _pieces(opener: Opener, boundary: str) -> Iterator[str]:
    """The file's text, in pieces of about :data:`PIECE` characters cut
    just after ``boundary``; as Latin-1 when it is not UTF-8."""
    try:
        # The first piece is decoded whole before anything is yielded, so a
        # file that is not UTF-8 is seldom found out half read; one that is
        # found out later is read again, whole, as Latin-1 (its first
        # pieces twice: reading more is safe, reading less would not be).
        yield from _decoded_pieces(opener, boundary, "utf-8-sig")
    except UnicodeDecodeError:
        yield from _decoded_pieces(opener, boundary, "latin-1")


def _decoded_pieces(opener: Opener, boundary: str, encoding: str) -> Iterator[str]:
    with opener() as stream:
        head = stream.read(2)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            encoding = "utf-16"
        decoder = codecs.getincrementaldecoder(encoding)()
        # Decode the whole first piece before yielding anything, so that a
        # file that is not UTF-8 in its first megabytes is not half read.
        carry = decoder.decode(head)
        while True:
            chunk = stream.read(PIECE)
            final = not chunk
            text = carry + decoder.decode(chunk, final=final)
            if final:
                if text:
                    yield text
                return
            cut = text.rfind(boundary)
            if cut < 0 and len(text) < 4 * PIECE:
                carry = text
                continue
            end = cut + len(boundary) if cut >= 0 else len(text)
            yield text[:end]
            carry = text[end:]


# -- archives --------------------------------------------------------------------------


def _zip_members(opener: Opener) -> Iterator[Member]:
    """The entries of a zip, one at a time; one that cannot be read (it is
    encrypted, damaged, or unpacks too big) is a member with a problem."""
    try:
        stream = opener()
        if not stream.seekable():  # a zip inside a zip: unpacked to be read
            stream = _in_memory(stream)
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        yield Member("", None, problem="it looks like a zip file but cannot be opened")
        return
    with stream, archive:
        for info in archive.infolist():
            if info.is_dir():
                yield Member(info.filename, None)
            elif info.flag_bits & 0x1:
                yield Member(info.filename, None, problem="it is encrypted")
            elif info.file_size > MAX_UNPACKED_BYTES:
                yield Member(info.filename, None, problem="it unpacks to more than 1 GiB")
            else:
                yield Member(info.filename, _entry_opener(archive, info), info.file_size)


def _pdf_reading(opener: Opener) -> Reading:
    """A PDF's text (:mod:`.pdf`), and the files attached to it as the
    files inside it; one that cannot be read is a member with a problem."""
    with opener() as stream:
        data = stream.read()
    try:
        views = pdf_views(data)
        attachments = PdfText(data).attachments()
    except PdfDamagedError as error:
        return Reading(members=iter([Member("", None, problem=str(error))]))
    attached = (
        Member(name, partial(io.BytesIO, content), len(content))
        for name, content in _undamaged(attachments)
    )
    return Reading(views=iter(views), members=attached)


def _undamaged(parts: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """A PDF's attached files; if they cannot be read, :class:`DamagedError`."""
    try:
        yield from parts
    except PdfDamagedError as error:
        raise DamagedError(str(error)) from None


def _entry_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Opener:
    def open_entry() -> BinaryIO:
        try:
            entry = archive.open(info)
        except Exception as error:  # BadZipFile, NotImplementedError, zlib.error...
            raise DamagedError(_reason(error)) from None
        return io.BufferedReader(_Guarded(entry))

    return open_entry


def _gunzipping(opener: Opener) -> Opener:
    def open_content() -> BinaryIO:
        return io.BufferedReader(_Guarded(gzip.GzipFile(fileobj=opener()), MAX_UNPACKED_BYTES))

    return open_content


def _in_memory(stream: BinaryIO) -> BinaryIO:
    with stream:
        return io.BytesIO(stream.read())


class DamagedError(Exception):
    """Raised while reading a member that turns out damaged or too big; its
    message says why in general words (an archive's own message can hold a
    member's name, which can be an identifier)."""


def _reason(error: Exception) -> str:
    if isinstance(error, NotImplementedError):
        return "it is compressed in a way that cannot be read"
    return "it is damaged"


class _Source(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class _Guarded(io.RawIOBase):
    """A stream that turns whatever a damaged archive raises (zlib's errors,
    a bad CRC, an unsupported compression) into :class:`DamagedError`, and
    stops at a size limit."""

    def __init__(self, stream: _Source, limit: int | None = None) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._stream.read(size)
        except Exception as error:  # zlib.error, BadZipFile, EOFError, NotImplementedError...
            raise DamagedError(_reason(error)) from None
        self._read += len(data)
        if self._limit is not None and self._read > self._limit:
            raise DamagedError("it unpacks to more than 1 GiB")
        return data

    def close(self) -> None:
        self._stream.close()
        super().close()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

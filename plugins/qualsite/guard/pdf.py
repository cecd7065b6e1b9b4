"""The text a PDF holds, for the output gate.

A PDF in ``docs_dir`` (a thesis, a poster, an information sheet) is
published as it is, the figure is offered as one, and ``qualsite pdf``
prints the whole report into one: each is read for the deny-list and the
personal-data patterns like any other file. Read, in this order:

- each page's words, as pypdf extracts them, then what its annotations say
  (a comment's text and author, a link's address);
- the document's information (title, author, subject, keywords...), its
  bookmarks and its form fields' names and values;
- for the deny-list only, as a page's addresses are: the software it names
  and its dates, the names of its destinations, its XMP metadata (whose
  dates and version numbers are no one's birthday);
- its XFA forms, as markup;
- the files attached to it, each under its own name, read by what it is
  (:func:`PdfText.attachments`).

What is drawn rather than written (a scan, text turned into outlines) holds
no text to read; neither does a font that does not map its glyphs to
Unicode, whose words pypdf cannot spell. A PDF that cannot be opened, or
that needs a password, is a finding: the gate fails closed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .markup import View, markup_views

if TYPE_CHECKING:
    from pypdf import PdfReader

#: How a PDF is told from other files: its header, near its start.
PDF_HEADER = b"%PDF-"

#: How far into a file the header may be (readers allow some bytes before it).
HEADER_WITHIN = 1024

#: The entries of an annotation that hold text a reader can see or copy.
_ANNOTATION_TEXT = ("/Contents", "/T", "/Subj", "/RC", "/NM", "/TU")

#: The document information that software writes, not the author: version
#: numbers ("cairo 1.15.12") and dates read as a date of birth would.
_MACHINE_INFORMATION = frozenset({"/Producer", "/Creator", "/CreationDate", "/ModDate"})


class PdfDamagedError(Exception):
    """A part of a PDF that cannot be read; the message says which, in
    general words (never pypdf's own, which can quote the file)."""


def looks_like_pdf(head: bytes) -> bool:
    return PDF_HEADER in head[:HEADER_WITHIN]


@contextlib.contextmanager
def _quiet_and_checked(what: str) -> Iterator[None]:
    """pypdf logs what it works around in a damaged file, quoting the file:
    the log is left as it was. Whatever it raises (it raises many kinds on a
    damaged file) becomes a :class:`PdfDamagedError` saying ``what``."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    except PdfDamagedError:
        raise
    except Exception:
        raise PdfDamagedError(what) from None
    finally:
        logger.setLevel(level)


#: The views of the PDFs read lately, by their bytes' digest: the check
#: before the build and the gate after it read a docs_dir PDF alike, and
#: qualsite serve reads it again on every save (pypdf takes about a tenth of
#: a second a page).
_READ: OrderedDict[bytes, tuple[View, ...]] = OrderedDict()
_READ_KEPT = 32


def pdf_views(data: bytes) -> tuple[View, ...]:
    """Every view of the PDF's text (:meth:`PdfText.views`), read once for
    the same bytes; raises :class:`PdfDamagedError`."""
    key = hashlib.blake2b(data, digest_size=32).digest()
    views = _READ.get(key)
    if views is None:
        views = tuple(PdfText(data).views())
        _READ[key] = views
        while len(_READ) > _READ_KEPT:
            _READ.popitem(last=False)
    else:
        _READ.move_to_end(key)
    return views


class PdfText:
    """An opened PDF, read a page at a time.

    Raises :class:`PdfDamagedError` if it cannot be opened, or needs a
    password; its iterators raise it for a part that cannot be read."""

    def __init__(self, data: bytes) -> None:
        from pypdf import PasswordType, PdfReader

        with _quiet_and_checked("it looks like a PDF but cannot be opened"):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                with _quiet_and_checked("it is a PDF encrypted in a way qualsite cannot read"):
                    opened = reader.decrypt("")
                if opened == PasswordType.NOT_DECRYPTED:
                    raise PdfDamagedError("it is a PDF that needs a password to open")
            _ = reader.trailer["/Root"]
        self._reader: PdfReader = reader

    def views(self) -> Iterator[View]:
        reader = self._reader
        with _quiet_and_checked("its pages cannot be read"):
            pages = list(reader.pages)
        for number, page in enumerate(pages, 1):
            with _quiet_and_checked(f"page {number} cannot be read as text"):
                text = page.extract_text()
                notes = "\n".join(_annotation_texts(page.get("/Annots")))
            yield View(text, True, f"the text of page {number}")
            if notes:
                yield View(notes, True, f"a comment or link on page {number}")
        with _quiet_and_checked("its document information cannot be read"):
            written: list[str] = []
            machine: list[str] = []
            for key, value in (reader.metadata or {}).items():
                into = machine if key in _MACHINE_INFORMATION else written
                into.extend(f"{key.lstrip('/')}: {text}" for text in _strings(value))
            written.extend(_outline_titles(reader.outline))
            for name, field in (reader.get_fields() or {}).items():
                written.append(str(name))
                for key in ("/V", "/DV", "/TU"):
                    written.extend(_strings(field.get(key)))
            machine.extend(str(name) for name in reader.named_destinations)
            metadata = _resolved(_resolved(reader.trailer["/Root"]).get("/Metadata"))
            xmp = _decoded(metadata.get_data()) if hasattr(metadata, "get_data") else ""
            forms = [_decoded(form) for form in (reader.xfa or {}).values()]
        if written:
            yield View("\n".join(written), True, "its document information")
        if machine:
            yield View("\n".join(machine), False, "its record of software, dates and destinations")
        if xmp:
            yield View(xmp, False, "its XMP metadata")
        for form in forms:
            yield from markup_views(form)

    def attachments(self) -> Iterator[tuple[str, bytes]]:
        """The files attached to the PDF: (name, content) each."""
        with _quiet_and_checked("its attached files cannot be read"):
            attached = {name: list(contents) for name, contents in self._reader.attachments.items()}
        for name, contents in attached.items():
            for number, content in enumerate(contents, 1):
                yield (name if len(contents) == 1 else f"{name} ({number})"), content


def _annotation_texts(annotations: Any) -> Iterator[str]:
    for annotation in _resolved(annotations) or ():
        annotation = _resolved(annotation)
        if not isinstance(annotation, dict):
            continue
        for key in _ANNOTATION_TEXT:
            yield from _strings(annotation.get(key))
        action = _resolved(annotation.get("/A"))
        if isinstance(action, dict):
            yield from _strings(action.get("/URI"))
            yield from _strings(action.get("/F"))


def _outline_titles(outline: Any) -> Iterator[str]:
    for item in outline or ():
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield from _strings(getattr(item, "title", None))


def _resolved(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _strings(value: Any) -> list[str]:
    """The text in a PDF value: a string, or the strings of an array."""
    value = _resolved(value)
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, bytes):
        return [_decoded(value)]
    if isinstance(value, str):
        return [str(value)]
    return []


def _decoded(data: bytes) -> str:
    """Bytes as text: UTF-8 if they are, else Latin-1 (which decodes any byte)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")

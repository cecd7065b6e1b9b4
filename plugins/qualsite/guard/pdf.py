"""The text a PDF holds, for the output gate and the study's checks.

A PDF in ``docs_dir`` (a thesis, a poster, an information sheet) is
published as it is, the figure is offered as one, and ``qualsite pdf``
prints the whole report into one: each is read like any other file. Read,
with pypdf:

- each page's words as pypdf extracts them, then what its comments say
  (their text and author, rich text with its markup taken out); for the
  deny-list only, where its links lead (as a page's links are read), and
  its words with those a line break cut joined again and letter-spaced or
  small-capital letters joined ("O a k w o o d" and "N OËL B RACKLEY" as
  a viewer draws them);
- the document's information (title, author, subject, keywords...), its
  bookmarks and its form fields' names and values;
- for the deny-list only, as a page's addresses are: the software it names
  and its dates (its version numbers and timestamps are no one's birthday);
  and every string and every decoded stream of every object the file
  holds, the structure tree's alternative texts, JavaScript, page labels,
  layer names and appearance streams among them, in every revision it
  keeps (an incremental save leaves the old words in the file) and whether
  anything refers to it or not;
- its XFA forms, as markup;
- the files attached to it (to the document or to an annotation), each
  under its own name, read by what it is.

What is drawn rather than written (a scan, text turned into outlines) holds
no text to read; neither does a font that does not map its glyphs to
Unicode, whose words pypdf cannot spell; nor do words drawn a glyph at a
time in reverse order, or with gaps as wide as a space between their
letters. A PDF that cannot be opened, that needs a password, or that is
more than qualsite reads (:data:`MAX_PAGE_CONTENT_BYTES` of page content,
:data:`MAX_OPERATIONS` drawing operations, :data:`MAX_ATTACHED_BYTES` of
attached files, :data:`MAX_SWEPT_BYTES` of objects, or bytes to read over
more than :data:`_READ_OVER` times) is a finding: the gate fails closed.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .markup import BARRIER, View, markup_views

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

#: How a PDF is told from other files: its header, at its start (or, for a
#: file named .pdf, anywhere: viewers open those too).
PDF_HEADER = b"%PDF-"

#: The most page content (decoded, every page's added up) that is read: a
#: small file can make pypdf work for minutes (a page a second for a few
#: kilobytes of dense, shared content). A 300-page thesis holds a few MB.
MAX_PAGE_CONTENT_BYTES = 64 * 2**20

#: The most drawing operations the pages may run, form XObjects drawn again
#: and again included (a 60 KB file can keep pypdf busy for hours): a
#: 300-page thesis runs about 1.5 million.
MAX_OPERATIONS = 8_000_000

#: The most that the files attached to a PDF may unpack to, together.
MAX_ATTACHED_BYTES = 256 * 2**20

#: How many times over the sweep may read a file's bytes, looking for
#: objects that its cross-reference table does not list.
_READ_OVER = 4

#: The most that the sweep of every object reads (strings and decoded streams).
MAX_SWEPT_BYTES = 128 * 2**20

#: The entries of an annotation that hold text a reader can see or copy.
_ANNOTATION_TEXT = ("/Contents", "/T", "/Subj", "/NM", "/TU")

#: The document information that software writes, not the author: version
#: numbers ("cairo 1.15.12") and dates read as a date of birth would.
_MACHINE_INFORMATION = frozenset({"/Producer", "/Creator", "/CreationDate", "/ModDate"})

#: Streams whose bytes hold no text: images and font programs.
_NO_TEXT_SUBTYPES = frozenset({"/Image", "/Type1C", "/CIDFontType0C", "/OpenType"})
_FONT_FILE_KEYS = ("/Length1", "/Length2", "/Length3")

# Where a line break cut a word ("Oak-" then "wood"), and letters a viewer
# draws apart: letter-spaced ("O a k"), or a small capital's first letter
# drawn bigger ("J ANE").
_CUT_WORD = re.compile(r"[-\u00ad\u2010]\s*\n\s*")
_SPACED_LETTERS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_] ){2,}[^\W\d_](?![^\W\d_])")
_SMALL_CAPITAL = re.compile(r"(?<![^\W\d_])([^\W\d_]) ([^\W\d_]{2,})(?![^\W\d_])")
#: Letters that are words of their own ("A VERY", "I AN", "Y ELLA"): never
#: joined to the next word, though a name in small capitals that starts
#: with one is then missed.
_ONE_LETTER_WORDS = frozenset("AÀEIOUY")
_TAG = re.compile(r"<[^>]*>")
_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b\s*")


#: How a page's words are named (``the text of page 3``).
PAGE_TEXT = "the text of page"


class PdfDamagedError(Exception):
    """A part of a PDF that cannot be read; the message says which, in
    general words (never pypdf's own, which can quote the file)."""


def looks_like_pdf(name: str, head: bytes) -> bool:
    return head.startswith(PDF_HEADER) or name.lower().endswith(".pdf")


# -- pypdf, quiet -----------------------------------------------------------------------

_QUIET = threading.Lock()
_quiet_readers = 0
_level_before = logging.NOTSET


@contextlib.contextmanager
def _checked(what: str) -> Iterator[None]:
    """Whatever pypdf raises (it raises many kinds on a damaged file)
    becomes a :class:`PdfDamagedError` saying ``what``; and pypdf logs
    nothing meanwhile (what it works around in a damaged file, quoting the
    file), its logger set back as it was once no reading is left."""
    global _quiet_readers, _level_before
    logger = logging.getLogger("pypdf")
    with _QUIET:
        if _quiet_readers == 0:
            _level_before = logger.level
            logger.setLevel(logging.CRITICAL + 1)
        _quiet_readers += 1
    try:
        yield
    except PdfDamagedError:
        raise
    except Exception as error:
        if type(error).__name__ == "DependencyError":  # AES, without cryptography
            raise PdfDamagedError(
                "it is a PDF encrypted in a way that needs Python's cryptography package "
                "(pip install cryptography) to be read"
            ) from None
        raise PdfDamagedError(what) from None
    finally:
        with _QUIET:
            _quiet_readers -= 1
            if _quiet_readers == 0:
                logger.setLevel(_level_before)


# -- reading once -------------------------------------------------------------------------

#: The views of the PDFs read lately, by their bytes' digest: the study's
#: check before the build and the gate after it read a docs_dir PDF alike,
#: and qualsite serve reads it again on every save (pypdf takes about a
#: tenth of a second a page). At most this many characters are kept.
_READ_KEPT_CHARACTERS = 64 * 2**20
_READ: OrderedDict[bytes, tuple[View, ...]] = OrderedDict()
_READ_LOCK = threading.Lock()


def pdf_views(data: bytes) -> tuple[View, ...]:
    """Every view of the PDF's text (:meth:`PdfText.views`), read once for
    the same bytes; raises :class:`PdfDamagedError`."""
    key = hashlib.blake2b(data, digest_size=32).digest()
    with _READ_LOCK:
        views = _READ.get(key)
        if views is not None:
            _READ.move_to_end(key)
            return views
    views = tuple(PdfText(data).views())
    with _READ_LOCK:
        _READ[key] = views
        while len(_READ) > 1 and _kept_characters() > _READ_KEPT_CHARACTERS:
            _READ.popitem(last=False)
    return views


def _kept_characters() -> int:
    return sum(len(view.text) for views in _READ.values() for view in views)


# -- the reading --------------------------------------------------------------------------


class PdfText:
    """An opened PDF, read a part at a time.

    Raises :class:`PdfDamagedError` if it cannot be opened, or needs a
    password; its iterators raise it for a part that cannot be read."""

    def __init__(self, data: bytes) -> None:
        from pypdf import PasswordType, PdfReader

        with _checked("it looks like a PDF but cannot be opened"):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise PdfDamagedError("it is a PDF that needs a password to open")
            _ = reader.trailer["/Root"]
        self._data = data
        self._reader: PdfReader = reader

    def views(self) -> Iterator[View]:
        yield from self._page_views()
        yield from self._document_views()
        with _checked("its objects cannot be read"):
            swept = _sweep(self._data, self._reader)
        if swept:
            yield View(swept, False, "its raw data (every object, in every revision)")

    def _page_views(self) -> Iterator[View]:
        with _checked("its pages cannot be read"):
            pages = list(self._reader.pages)
        content = 0
        operations = [0]

        def count(*_: Any) -> None:
            operations[0] += 1
            if operations[0] > MAX_OPERATIONS:
                raise PdfDamagedError(
                    f"its pages run more than {MAX_OPERATIONS:,} drawing operations (by page "
                    f"{number}), more than qualsite reads"
                )

        for number, page in enumerate(pages, 1):
            with _checked(f"page {number} cannot be read as text"):
                content += _content_bytes(page)
                if content > MAX_PAGE_CONTENT_BYTES:
                    raise PdfDamagedError(
                        f"its pages hold more than {MAX_PAGE_CONTENT_BYTES // 2**20} MiB of "
                        f"content (by page {number}), more than qualsite reads"
                    )
                text = page.extract_text(visitor_operand_before=count)
                comments, links = _annotation_texts(page.get("/Annots"))
            yield View(text, True, f"{PAGE_TEXT} {number}")
            joined = _joined(text)
            if joined != text:
                where = f"{PAGE_TEXT} {number} (its letters and cut words joined)"
                yield View(joined, False, where)
            if comments:
                yield View("\n".join(comments), True, f"a comment on page {number}")
            if links:  # addresses, read for names as a page's links are
                yield View("\n".join(links), False, f"a link on page {number}")

    def _document_views(self) -> Iterator[View]:
        reader = self._reader
        with _checked("its document information cannot be read"):
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
            forms = [_decoded(form) for form in (reader.xfa or {}).values()]
        if written:
            yield View("\n".join(written), True, "its document information")
        if machine:
            yield View("\n".join(machine), False, "its record of software, dates and destinations")
        for form in forms:
            yield from markup_views(form)

    def attachments(self) -> Iterator[tuple[str, bytes]]:
        """The files attached to the PDF or to its annotations, one at a
        time: (name, content) each."""
        with _checked("its attached files cannot be read"):
            specs = list(_file_specs(self._reader))
        unpacked = 0
        for name, spec in specs:
            with _checked("a file attached to it cannot be read"):
                stream = _resolved(_resolved(spec.get("/EF", {})).get("/F"))
                content = _stream_data(stream) if hasattr(stream, "get_data") else None
            if content is None:
                continue
            unpacked += len(content)
            if unpacked > MAX_ATTACHED_BYTES:
                raise PdfDamagedError(
                    f"its attached files unpack to more than {MAX_ATTACHED_BYTES // 2**20} MiB"
                )
            yield name, content
            del content


def _stream_data(stream: Any) -> bytes:
    """A stream's bytes, decoded, without pypdf keeping the decoded copy
    (an attached file can be tens of megabytes)."""
    from pypdf.filters import decode_stream_data

    return decode_stream_data(stream) if "/Filter" in stream else bytes(stream.get_data())


def _content_bytes(page: PageObject) -> int:
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


def _joined(text: str) -> str:
    """The text with cut words and drawn-apart letters joined."""
    joined = _CUT_WORD.sub("", text)
    joined = _SPACED_LETTERS.sub(lambda match: match.group().replace(" ", ""), joined)

    # Capitals only: "a dam" is two words.
    def small_capital(match: re.Match[str]) -> str:
        letter, rest = match.groups()
        if match.group().isupper() and letter not in _ONE_LETTER_WORDS:
            return letter + rest
        return match.group()

    return _SMALL_CAPITAL.sub(small_capital, joined)


def _annotation_texts(annotations: Any) -> tuple[list[str], list[str]]:
    """What a page's annotations say (a comment's text and author), and
    where its links lead."""
    comments: list[str] = []
    links: list[str] = []
    for annotation in _resolved(annotations) or ():
        annotation = _resolved(annotation)
        if not isinstance(annotation, dict):
            continue
        for key in _ANNOTATION_TEXT:
            comments.extend(_strings(annotation.get(key)))
        for rich in _strings(annotation.get("/RC")):  # XHTML: its text as shown
            comments.append(html.unescape(_TAG.sub("", rich)))
        action = _resolved(annotation.get("/A"))
        if isinstance(action, dict):
            links.extend(_strings(action.get("/URI")))
            links.extend(_strings(action.get("/F")))
    return comments, links


def _file_specs(reader: PdfReader) -> Iterator[tuple[str, dict[str, Any]]]:
    """The file specifications of the embedded files: the document's, then
    the annotations', each once, with the name a viewer shows."""
    seen: set[int] = set()
    root = _resolved(reader.trailer["/Root"])
    names = _resolved(_resolved(root.get("/Names", {})).get("/EmbeddedFiles"))
    found = list(_name_tree(names)) if names is not None else []
    for page in reader.pages:
        for annotation in _resolved(page.get("/Annots")) or ():
            annotation = _resolved(annotation)
            if isinstance(annotation, dict) and annotation.get("/Subtype") == "/FileAttachment":
                found.append(("", annotation.get("/FS")))
    for fallback, reference in found:
        spec = _resolved(reference)
        if not isinstance(spec, dict) or id(spec) in seen:
            continue
        seen.add(id(spec))
        shown = next((text for key in ("/UF", "/F") for text in _strings(spec.get(key))), fallback)
        yield shown or "attachment", spec


def _name_tree(node: Any, depth: int = 0) -> Iterator[tuple[str, Any]]:
    node = _resolved(node)
    if not isinstance(node, dict) or depth > 32:
        return
    pairs = _resolved(node.get("/Names")) or []
    for index in range(0, len(pairs) - 1, 2):
        yield next(iter(_strings(pairs[index])), ""), pairs[index + 1]
    for kid in _resolved(node.get("/Kids")) or []:
        yield from _name_tree(kid, depth + 1)


def _outline_titles(outline: Any) -> Iterator[str]:
    for item in outline or ():
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield from _strings(getattr(item, "title", None))


def _sweep(data: bytes, reader: PdfReader) -> str:
    """Every string and decoded stream of every object: those the file's
    cross-reference table lists (in object streams too), and those found in
    its bytes (earlier revisions, objects nothing refers to)."""
    from pypdf.generic import IndirectObject, read_object

    objects: list[Any] = []
    for generation, table in reader.xref.items():
        for number in table:
            with contextlib.suppress(Exception):
                objects.append(reader.get_object(IndirectObject(number, generation, reader)))
    for number in reader.xref_objStm:
        with contextlib.suppress(Exception):
            objects.append(reader.get_object(IndirectObject(number, 0, reader)))
    # Those the table lists are read once, above. Reading from each "obj"
    # in the bytes can read far (a string that never ends runs to the end of
    # the file): a file is read over at most a few times, else it is a
    # finding, which a few kilobytes of "1 0 obj (" would otherwise make
    # take minutes.
    listed = {offset for table in reader.xref.values() for offset in table.values()}
    allowance = _READ_OVER * len(data) + 2**20
    source = io.BytesIO(data)
    for match in _OBJECT.finditer(data):
        if match.start() in listed:
            continue
        source.seek(match.end())
        with contextlib.suppress(Exception):
            objects.append(read_object(source, reader))
        allowance -= source.tell() - match.end()
        if allowance < 0:
            raise PdfDamagedError(
                "its bytes hold more objects than qualsite reads (it may be damaged)"
            )
    texts: list[str] = []
    swept = 0
    seen: set[int] = set()
    stack = objects
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            if hasattr(item, "get_data") and _holds_text(item):
                with contextlib.suppress(Exception):
                    decoded = _stream_data(item)
                    swept += len(decoded)
                    texts.append(_decoded(decoded))
            stack.extend(value for value in item.values() if not _is_reference(value))
        elif isinstance(item, list):
            stack.extend(value for value in item if not _is_reference(value))
        elif isinstance(item, (str, bytes)):
            text = _strings(item)[0]
            swept += len(text)
            texts.append(text)
        if swept > MAX_SWEPT_BYTES:
            raise PdfDamagedError(
                f"its objects hold more than {MAX_SWEPT_BYTES // 2**20} MiB of text and data, "
                "more than qualsite reads"
            )
    return BARRIER.join(text for text in texts if text.strip())


def _holds_text(stream: dict[str, Any]) -> bool:
    """Whether the sweep reads a stream: not an image or a font program,
    which hold none, nor an attached file, read as a file of its own kind
    (:meth:`PdfText.attachments`), nor the cross-reference table."""
    if stream.get("/Subtype") in _NO_TEXT_SUBTYPES:
        return False
    if stream.get("/Type") in ("/XRef", "/EmbeddedFile"):
        return False
    return not any(key in stream for key in _FONT_FILE_KEYS)


def _is_reference(value: Any) -> bool:
    # Each object is swept once, where it is listed or found.
    return hasattr(value, "idnum")


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

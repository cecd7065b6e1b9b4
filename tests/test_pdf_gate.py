"""The output gate reads PDFs: a thesis or a poster in docs_dir, the
figure's PDF, the report ``qualsite pdf`` prints (:mod:`qualsite.guard.pdf`).

Before, a PDF was read by its name only and listed for the researcher to
check by hand, though a reader can copy every word of it.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from helpers import build_site, write_study
from qualsite.errors import Problems
from qualsite.guard import pdf as pdf_module
from qualsite.guard.denylist import load_deny_list
from qualsite.guard.gate import GatePolicy, GateReport, describe, gate_files
from qualsite.guard.redact import REDACTED
from test_leaks import (
    GATE,
    assert_gate_reported,
    failed_build,
    mkdocs_yml,
    write_footer_study,
)
from test_output_gate import DENY_LIST, JANE, OAKWOOD, ZOE, check, deny_findings


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "study"


@pytest.fixture
def deny_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The study's deny-list, outside the study's folder (the same names)."""
    path = tmp_path / "deny-list.txt"
    path.write_text(DENY_LIST, encoding="utf-8")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(path))
    return path


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> GatePolicy:
    path = tmp_path_factory.mktemp("pdf-gate") / "deny-list.txt"
    path.write_text(DENY_LIST, encoding="utf-8")
    deny = load_deny_list(path, Problems())
    assert deny is not None
    return GatePolicy(deny)


def a_pdf(
    *pages: str,
    info: dict[str, str] | None = None,
    comment: str | None = None,
    link: str | None = None,
    bookmark: str | None = None,
    attachments: tuple[tuple[str, bytes], ...] = (),
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A PDF whose pages show ``pages`` (lines split at "\\n") in Helvetica,
    as a word processor would write them, with what else is asked for."""
    from pypdf import PdfWriter
    from pypdf.annotations import Link, Text
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    for text in pages:
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        shown = [
            line.encode("cp1252")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
            for line in text.split("\n")
        ]
        content = DecodedStreamObject()
        content.set_data(
            b"BT /F1 12 Tf 14 TL 72 700 Td " + b" T* ".join(b"(%s) Tj" % s for s in shown) + b" ET"
        )
        page[NameObject("/Contents")] = writer._add_object(content)
    if comment is not None:
        writer.add_annotation(0, Text(rect=(50, 550, 200, 650), text=comment))
    if link is not None:
        writer.add_annotation(0, Link(rect=(50, 500, 200, 520), url=link))
    if bookmark is not None:
        writer.add_outline_item(title=bookmark, page_number=0)
    if info is not None:
        writer.add_metadata(info)
    for name, data in attachments:
        writer.add_attachment(name, data)
    if user_password is not None or owner_password is not None:
        writer.encrypt(user_password or "", owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def findings(report: GateReport) -> list[str]:
    """Each finding as printed, the deny-list's path left out ("(line 4)")."""
    return [re.sub(r"\(line (\d+) of [^)]*\)$", r"(line \1)", str(f)) for f in report.findings]


#: Where the sweep of every object of the file finds what it finds: most
#: names on a page are in the page's raw content too.
RAW = "its raw data (every object, in every revision)"


def read_findings(report: GateReport) -> list[str]:
    """The findings but the sweep's."""
    return [finding for finding in findings(report) if RAW not in finding]


def raw_findings(report: GateReport) -> list[str]:
    return [finding for finding in findings(report) if RAW in finding]


def written(pdf: bytes, change: Callable[[PdfWriter], object]) -> bytes:
    """``pdf`` changed by ``change``, saved as a new file."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- what is read ---------------------------------------------------------------------------


def test_a_clean_pdf_is_read_not_listed_for_checking_by_hand(policy: GatePolicy) -> None:
    report = check(policy, [("thesis.pdf", a_pdf("Chapter 1", "Chapter 2", info={"/Title": "A"}))])
    assert report.findings == [] and report.opaque == [] and report.files == 1


@pytest.mark.parametrize(
    ("name", "deny_line"),
    [("Zo\u00eb Ashcombe", ZOE), ("Oakwood", OAKWOOD), ("JANE OAKWOOD", JANE)],
)
def test_a_name_on_a_page_is_found_and_its_page_named(
    policy: GatePolicy, name: str, deny_line: int
) -> None:
    pdf = a_pdf("Introduction", f"We thank the staff at\n{name} for their help.")
    report = check(policy, [("thesis.pdf", pdf)])
    assert deny_findings(report, deny_line), findings(report)
    assert read_findings(report)
    assert all(f.startswith("thesis.pdf: the text of page 2 holds") for f in read_findings(report))


def test_personal_data_on_a_page_is_found(policy: GatePolicy) -> None:
    report = check(policy, [("poster.pdf", a_pdf("Questions? Call 07700 900123."))])
    assert findings(report) == [
        "poster.pdf: the text of page 1 holds what looks like a phone number"
    ]


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        pytest.param({"comment": "Check with Oakwood"}, "a comment on page 1", id="comment"),
        pytest.param({"link": "https://example.org/oakwood/team"}, "a link on page 1", id="link"),
        pytest.param(
            {"info": {"/Author": "Jane Oakwood"}}, "its document information", id="author"
        ),
        pytest.param(
            {"info": {"/Title": "Interviews at Oakwood"}}, "its document information", id="title"
        ),
        pytest.param({"bookmark": "3. Oakwood"}, "its document information", id="bookmark"),
        pytest.param(
            {"info": {"/Creator": "Word - notes from Oakwood.docx"}},
            "its record of software, dates and destinations",
            id="creator",
        ),
    ],
)
def test_a_name_outside_the_pages_words_is_found(
    policy: GatePolicy, extra: dict[str, object], where: str
) -> None:
    report = check(policy, [("thesis.pdf", a_pdf("Nothing here.", **extra))])  # type: ignore[arg-type]
    assert read_findings(report), findings(report)
    assert all(
        f.startswith(f"thesis.pdf: {where} holds an identifier") for f in read_findings(report)
    )


def _javascript(writer: PdfWriter) -> None:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Welcome to Oakwood');"),
        }
    )


def _page_label(writer: PdfWriter) -> None:
    writer.set_page_label(0, 0, prefix="Oakwood-")


def _alternative_text(writer: PdfWriter) -> None:
    # What a screen reader says for a figure, in a tagged PDF's structure tree.
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    figure = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructElem"),
            NameObject("/S"): NameObject("/Figure"),
            NameObject("/Alt"): TextStringObject("Photograph of Jane Oakwood"),
        }
    )
    root = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/StructTreeRoot"),
            NameObject("/K"): ArrayObject([writer._add_object(figure)]),
        }
    )
    writer.root_object[NameObject("/StructTreeRoot")] = writer._add_object(root)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(_javascript, id="javascript"),
        pytest.param(_page_label, id="page-label"),
        pytest.param(_alternative_text, id="alternative-text"),
    ],
)
def test_a_name_only_in_the_files_data_is_found_by_the_sweep(
    policy: GatePolicy, change: Callable[[PdfWriter], object]
) -> None:
    pdf = written(a_pdf("Nothing here."), change)
    report = check(policy, [("thesis.pdf", pdf)])
    assert read_findings(report) == []
    assert raw_findings(report) and all("identifier" in f for f in raw_findings(report))


@pytest.mark.parametrize("in_place", [True, False], ids=["same-object", "new-object"])
def test_a_name_an_incremental_save_replaced_is_still_found(
    policy: GatePolicy, in_place: bool
) -> None:
    # Word and Acrobat save a change by adding to the file: the old page's
    # words are still in it, for anyone to read.
    from pypdf.generic import DecodedStreamObject, NameObject

    original = a_pdf("Thanks to Oakwood.")
    writer = PdfWriter(io.BytesIO(original), incremental=True)
    words = b"BT /F1 12 Tf 72 700 Td (Thanks to our hosts.) Tj ET"
    if in_place:  # the same object, written again at the file's end
        writer.pages[0]["/Contents"].get_object().set_data(words)
    else:
        content = DecodedStreamObject()
        content.set_data(words)
        writer.pages[0][NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    saved = out.getvalue()
    assert saved.startswith(original)  # the old revision is still there
    assert "Oakwood" not in PdfReader(io.BytesIO(saved)).pages[0].extract_text()
    report = check(policy, [("thesis.pdf", saved)])
    assert read_findings(report) == []
    assert raw_findings(report) == [
        f"thesis.pdf: {RAW} holds an identifier from the deny-list (line {OAKWOOD})"
    ]


def test_a_one_letter_word_in_capitals_is_not_joined_to_the_next(tmp_path: Path) -> None:
    # "A VERY" is no small-capital "AVERY"; "N OËL" above is.
    path = tmp_path / "deny-list.txt"
    path.write_text("Avery\nIan\nEve\n", encoding="utf-8")
    deny = load_deny_list(path, Problems())
    assert deny is not None
    pdf = a_pdf("CHAPTER 4: A VERY DIFFERENT STORY\nI AN OUTLIER\nE VENINGS")
    assert check(GatePolicy(deny), [("thesis.pdf", pdf)]).findings == []


def test_too_many_drawing_operations_are_a_finding(
    policy: GatePolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A form drawn a thousand times runs its operations a thousand times.
    monkeypatch.setattr(pdf_module, "MAX_OPERATIONS", 50)
    pdf = a_pdf("Chapter one", "\n".join(["Words and words."] * 40))
    assert findings(check(policy, [("big.pdf", pdf)])) == [
        "big.pdf: cannot be checked: its pages run more than 50 drawing operations (by page 2), "
        "more than qualsite reads"
    ]


@pytest.mark.parametrize(
    "drawn",
    [
        pytest.param("Thanks to O a k w o o d.", id="letter-spaced"),
        pytest.param("Thanks to N O\u00cbL  B RACKLEY.", id="small-capitals"),
        pytest.param("Thanks to the staff at Oak-\nwood for their help.", id="hyphen-at-break"),
    ],
)
def test_a_name_drawn_apart_is_found_joined(policy: GatePolicy, drawn: str) -> None:
    report = check(policy, [("poster.pdf", a_pdf(drawn))])
    joined = "poster.pdf: the text of page 1 (its letters and cut words joined) holds"
    assert [f for f in findings(report) if f.startswith(joined)], findings(report)


def test_a_rich_text_comment_is_read_as_shown(policy: GatePolicy) -> None:
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    def comment(writer: PdfWriter) -> None:
        note = writer.add_annotation(0, Text(rect=(50, 550, 200, 650), text="See below"))
        note[NameObject("/RC")] = TextStringObject("<body><p>Ask Oak<span>wood</span></p></body>")

    report = check(policy, [("thesis.pdf", written(a_pdf("Nothing here."), comment))])
    assert read_findings(report) == [
        f"thesis.pdf: a comment on page 1 holds an identifier from the deny-list (line {OAKWOOD})"
    ]


def test_the_software_and_dates_a_pdf_names_are_not_read_for_birthdays(
    policy: GatePolicy,
) -> None:
    # Graphviz's figure says "cairo 1.15.12", which reads as 1 March 2012.
    info = {"/Producer": "cairo 1.15.12 (http://cairographics.org)", "/CreationDate": "D:20190304"}
    report = check(policy, [("figure.pdf", a_pdf("Coping", info=info))])
    assert report.findings == []
    dated = check(policy, [("figure.pdf", a_pdf("Coping", info={"/Subject": "born 1.15.12"}))])
    assert findings(dated) == [
        "figure.pdf: its document information holds what looks like a full date "
        "(it may be a date of birth)"
    ]


def test_a_policy_without_patterns_reads_a_pdf_for_names_only(policy: GatePolicy) -> None:
    # qualsite pdf's: a printed table runs its cells into what looks like a phone number.
    names_only = replace(policy, patterns=False)
    assert check(names_only, [("report.pdf", a_pdf("Counts: 07700 900123"))]).findings == []
    named = check(names_only, [("report.pdf", a_pdf("Thanks to Oakwood"))])
    assert read_findings(named) == [
        f"report.pdf: the text of page 1 holds an identifier from the deny-list (line {OAKWOOD})"
    ]


def test_a_file_attached_to_a_pdf_is_read_as_a_file_inside_it(policy: GatePolicy) -> None:
    attached = (("notes.txt", b"Met Oakwood's manager.\n"), ("oakwood.csv", b"a,b\n"))
    report = check(policy, [("thesis.pdf", a_pdf("Appendix", attachments=attached))])
    assert read_findings(report) == [
        "thesis.pdf!/notes.txt:1: its text holds an identifier from the deny-list "
        f"(line {OAKWOOD})",
        f"thesis.pdf!/{REDACTED}.csv: its name holds an identifier from the deny-list "
        f"(line {OAKWOOD})",
    ]


def test_a_file_attached_to_an_annotation_is_read_as_a_file_inside_it(policy: GatePolicy) -> None:
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    def attach(writer: PdfWriter) -> None:
        # The paper clip on a page: its file is in no list of the document's.
        embedded = DecodedStreamObject()
        embedded.set_data(b"name,place\nA,Oak" + b"wood\n")
        embedded[NameObject("/Type")] = NameObject("/EmbeddedFile")
        spec = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject("sites.csv"),
                NameObject("/EF"): DictionaryObject(
                    {NameObject("/F"): writer._add_object(embedded)}
                ),
            }
        )
        clip = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 70, 70)]),
                NameObject("/FS"): writer._add_object(spec),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(clip)])

    report = check(policy, [("thesis.pdf", written(a_pdf("Appendix"), attach))])
    assert read_findings(report) == [
        f"thesis.pdf!/sites.csv:2: its text holds an identifier from the deny-list (line {OAKWOOD})"
    ]


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_that_needs_a_password_is_a_finding(policy: GatePolicy, algorithm: str) -> None:

    def locked_with(user: str) -> Callable[[PdfWriter], object]:
        return lambda writer: writer.encrypt(user, "owner", algorithm=algorithm)

    locked = written(a_pdf("Oakwood"), locked_with("secret"))
    report = check(policy, [("locked.pdf", locked)])
    assert findings(report) == [
        "locked.pdf: cannot be checked: it is a PDF that needs a password to open"
    ]
    assert "save it again as a file anyone can open (a PDF without a password" in describe(report)
    # Only an owner's password (anyone may open it, not edit it): read as any.
    report = check(policy, [("open.pdf", written(a_pdf("Oakwood"), locked_with("")))])
    assert read_findings(report) == [
        f"open.pdf: the text of page 1 holds an identifier from the deny-list (line {OAKWOOD})"
    ]


@pytest.mark.parametrize(
    "damaged",
    [
        pytest.param(b"%PDF-1.7\n" + b"\x00garbage" * 50, id="garbage"),
        pytest.param(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", id="no-pages"),
    ],
)
def test_a_pdf_that_cannot_be_read_is_a_finding(
    policy: GatePolicy, damaged: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    report = check(policy, [("broken.pdf", damaged)])
    assert [f.path for f in report.findings] == ["broken.pdf"]
    assert "cannot be checked: " in report.findings[0].message
    assert report.opaque == []
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_pypdfs_log_is_set_back_once_reading_ends_in_every_thread() -> None:
    logger = logging.getLogger("pypdf")
    logger.setLevel(logging.WARNING)
    try:
        damaged = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
        pdfs = [a_pdf("Chapter 1"), damaged] * 8
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda data: check_any(data), pdfs))
        assert logger.level == logging.WARNING
    finally:
        logger.setLevel(logging.NOTSET)


def check_any(data: bytes) -> GateReport:
    return gate_files([("x.pdf", data)], GatePolicy(None))


def test_too_much_page_content_is_a_finding(
    policy: GatePolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A few kilobytes of shared, dense content can keep pypdf busy for minutes.
    monkeypatch.setattr(pdf_module, "MAX_PAGE_CONTENT_BYTES", 2**20)
    pdf = a_pdf("Chapter one", "\n".join(["Words and words."] * 50_000))
    assert findings(check(policy, [("big.pdf", pdf)])) == [
        "big.pdf: cannot be checked: its pages hold more than 1 MiB of content (by page 2), "
        "more than qualsite reads"
    ]


def test_bytes_the_sweep_would_read_over_and_over_are_a_finding(policy: GatePolicy) -> None:
    # Each "1 0 obj (" begins a string that runs to the file's end: read
    # from each, a few kilobytes would take minutes. Viewers ignore them.
    pdf = a_pdf("Chapter one") + b"1 0 obj (" * 4000
    assert findings(check(policy, [("odd.pdf", pdf)])) == [
        "odd.pdf: cannot be checked: its bytes hold more objects than qualsite reads "
        "(it may be damaged)"
    ]


def test_attached_files_past_the_limit_are_a_finding(
    policy: GatePolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_module, "MAX_ATTACHED_BYTES", 2**20)
    attached = (("one.txt", b"a" * 600_000), ("two.txt", b"b" * 600_000))
    report = check(policy, [("big.pdf", a_pdf("Appendix", attachments=attached))])
    assert read_findings(report) == [
        "big.pdf: cannot be checked: its attached files unpack to more than 1 MiB"
    ]


def test_a_file_named_pdf_without_its_header_is_read_as_one(policy: GatePolicy) -> None:
    pdf = a_pdf("Thanks to Oakwood.")
    headless = pdf[pdf.index(b"\n") + 1 :]
    assert not headless.startswith(b"%PDF-")
    report = check(policy, [("thesis.pdf", headless)])
    assert read_findings(report) == [
        f"thesis.pdf: the text of page 1 holds an identifier from the deny-list (line {OAKWOOD})"
    ]


def test_a_text_that_mentions_a_pdf_header_is_read_as_text(policy: GatePolicy) -> None:
    notes = b"How to spot a PDF: it starts with %PDF-1.7.\nAsk Oakwood.\n"
    assert findings(check(policy, [("notes.txt", notes)])) == [
        f"notes.txt:2: its text holds an identifier from the deny-list (line {OAKWOOD})"
    ]


# -- in a build -----------------------------------------------------------------------------


def test_a_name_in_a_pdf_in_docs_dir_stops_the_build_before_it_begins(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(root)
    (root / "content" / "papers").mkdir(parents=True)
    (root / "content" / "papers" / "poster.pdf").write_bytes(
        a_pdf("Resilience in practice", "With thanks to Oakwood.")
    )
    log = failed_build(root, caplog, deny_list)
    # Found as the study is checked, before anything is built: the file and
    # its page named, as a text file's line would be.
    found = "content/papers/poster.pdf: the text of page 2 holds an identifier from the deny-list"
    assert f"{found} (line {OAKWOOD} of" in log
    assert "nothing was built" in log


def test_a_name_in_a_pdf_is_found_by_the_gate_too(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Put in the site by a theme's folder, which the study's checks do not read.
    write_study(root, {"mkdocs.yml": mkdocs_yml(theme="  custom_dir: overrides\n")})
    (root / "overrides").mkdir()
    (root / "overrides" / "poster.pdf").write_bytes(a_pdf("Resilience", "Thanks to Oakwood."))
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "poster.pdf", deny_list, OAKWOOD)
    assert "poster.pdf: the text of page 2 holds" in log


@pytest.mark.parametrize("strict", [True, False])
def test_what_looks_like_personal_data_in_a_pdf_in_docs_dir_is_noted_and_published(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture, strict: bool
) -> None:
    # A thesis's section numbers and a table's counts read as dates and
    # phone numbers once a PDF runs them together: noted, for the researcher
    # to look at (a line of INFO, which stops no strict build), not refused.
    caplog.set_level(logging.INFO)
    write_study(root)
    (root / "content" / "poster.pdf").write_bytes(a_pdf("Interviews began on 12/03/2019."))
    site = build_site(root, strict=strict)
    [note] = [r for r in caplog.records if "poster.pdf" in r.getMessage()]
    assert note.levelno == logging.INFO
    assert note.getMessage().endswith(
        "content/poster.pdf: the text of page 1 holds what looks like a full date (it may be a "
        "date of birth); the PDF is published as it is, so check by hand that it identifies "
        "no one"
    )
    assert (site / "poster.pdf").is_file()


def test_a_date_a_docs_pdf_shows_is_let_through_in_that_pdf_only(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The poster's date is noted and published; the same day printed by a
    # template on every page is not the poster's to let through.
    write_footer_study(root, "Seen on 14/03/{{ 2020 }}")
    (root / "content" / "poster.pdf").write_bytes(a_pdf("Interviews began on 14 March 2020."))
    log = failed_build(root, caplog, deny_list)
    assert GATE in log and "404.html: its text holds what looks like a full date" in log
    assert "poster.pdf: the text of page 1 holds what looks like a full date" in log  # the note
    assert "  poster.pdf" not in log  # no finding of the gate's in the poster


def test_personal_data_in_a_docs_pdfs_information_is_checked_as_any_files(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A filled-in form's fields and a document's information are no layout
    # of a page: a date of birth there stops a strict build.
    write_study(root)
    (root / "content" / "consent.pdf").write_bytes(
        a_pdf("Consent form", info={"/Subject": "Participant born 12/03/1985"})
    )
    log = failed_build(root, caplog, deny_list)
    assert (
        "content/consent.pdf: its document information holds what looks like a full date "
        "(it may be a date of birth); redact it" in log
    )


def test_a_clean_pdf_in_docs_dir_is_published_and_not_left_to_check_by_hand(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    write_study(root)
    # Its link is an address, as a page's are: no finding in a strict build.
    (root / "content" / "poster.pdf").write_bytes(
        a_pdf("Resilience in practice", link="https://example.org/study/2019-03-12")
    )
    (root / "content" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    site = build_site(root)
    assert (site / "poster.pdf").read_bytes().startswith(b"%PDF-")
    # The image is still the researcher's to look at; the PDF was read.
    [note] = [line for line in caplog.text.splitlines() if "check what they show by hand" in line]
    assert note.endswith("by hand: photo.png"), note

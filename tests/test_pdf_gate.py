"""The output gate reads PDFs: a thesis or a poster in docs_dir, the
figure's PDF, the report ``qualsite pdf`` prints (:mod:`qualsite.guard.pdf`).

Before, a PDF was read by its name only and listed for the researcher to
check by hand, though a reader can copy every word of it.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest

from helpers import build_site, write_study
from qualsite.errors import Problems
from qualsite.guard.denylist import load_deny_list
from qualsite.guard.gate import GatePolicy, GateReport
from qualsite.guard.redact import REDACTED
from test_leaks import GATE, assert_gate_reported, failed_build, mkdocs_yml
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
        page[NameObject("/Contents")] = content
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
    assert all(f.startswith("thesis.pdf: the text of page 2 holds") for f in findings(report))


def test_personal_data_on_a_page_is_found(policy: GatePolicy) -> None:
    report = check(policy, [("poster.pdf", a_pdf("Questions? Call 07700 900123."))])
    assert findings(report) == [
        "poster.pdf: the text of page 1 holds what looks like a phone number"
    ]


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        pytest.param(
            {"comment": "Check with Oakwood"}, "a comment or link on page 1", id="comment"
        ),
        pytest.param(
            {"link": "https://example.org/oakwood/team"}, "a comment or link on page 1", id="link"
        ),
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
    assert deny_findings(report), findings(report)
    assert all(f.startswith(f"thesis.pdf: {where} holds") for f in findings(report))


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


def test_a_file_attached_to_a_pdf_is_read_as_a_file_inside_it(policy: GatePolicy) -> None:
    attached = (("notes.txt", b"Met Oakwood's manager.\n"), ("oakwood.csv", b"a,b\n"))
    report = check(policy, [("thesis.pdf", a_pdf("Appendix", attachments=attached))])
    assert findings(report) == [
        "thesis.pdf!/notes.txt:1: its text holds an identifier from the deny-list "
        f"(line {OAKWOOD})",
        f"thesis.pdf!/{REDACTED}.csv: its name holds an identifier from the deny-list "
        f"(line {OAKWOOD})",
    ]


def test_a_pdf_that_needs_a_password_is_a_finding(policy: GatePolicy) -> None:
    locked = a_pdf("Oakwood", user_password="secret")
    report = check(policy, [("locked.pdf", locked)])
    assert findings(report) == [
        "locked.pdf: cannot be checked: it is a PDF that needs a password to open"
    ]
    # Only an owner's password (anyone may open it, not edit it): read as any.
    report = check(policy, [("open.pdf", a_pdf("Oakwood", owner_password="secret"))])
    assert findings(report) == [
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


DATED = "Interviews began on 12/03/2019."


def test_a_date_in_a_pdf_in_docs_dir_stops_a_strict_build(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(root)
    (root / "content" / "poster.pdf").write_bytes(a_pdf(DATED))
    log = failed_build(root, caplog, deny_list)
    assert (
        "content/poster.pdf: the text of page 1 holds what looks like a full date (it may be "
        "a date of birth); redact it" in log
    )


def test_a_date_in_a_pdf_in_docs_dir_is_a_warning_in_a_build_that_is_not_strict(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    write_study(root)
    (root / "content" / "poster.pdf").write_bytes(a_pdf(DATED))
    site = build_site(root, strict=False)
    # Warned about at its file and page, and then published: the gate lets
    # through what the build has warned about, as for a CSV of docs_dir.
    warned = "content/poster.pdf: warning: the text of page 1 holds what looks like a full date"
    assert warned in caplog.text
    assert GATE not in caplog.text
    assert (site / "poster.pdf").is_file()


def test_a_clean_pdf_in_docs_dir_is_published_and_not_left_to_check_by_hand(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    write_study(root)
    (root / "content" / "poster.pdf").write_bytes(a_pdf("Resilience in practice"))
    (root / "content" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    site = build_site(root)
    assert (site / "poster.pdf").read_bytes().startswith(b"%PDF-")
    # The image is still the researcher's to look at; the PDF was read.
    [note] = [line for line in caplog.text.splitlines() if "check what they show by hand" in line]
    assert note.endswith("by hand: photo.png"), note

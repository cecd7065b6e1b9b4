"""The output gate on its own, without MkDocs: how it reads each kind of
file, how it names what it finds, what it lets pass, and (a property) that
a deny-listed name put anywhere in a real page, in any disguise a reader
would still read as the name, is found.

The pieces it stands on are tested here too: :mod:`qualsite.guard.normalise`
(every disguise folds to one form) and :mod:`qualsite.guard.denylist`
(entries match whole words, across any separator, and a deny-list that
would check nothing is refused).
"""

from __future__ import annotations

import gzip
import html.entities
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import REPO
from qualsite.errors import Problems, QualsiteError
from qualsite.guard import deny_list_from_environment
from qualsite.guard.approval import approval_keys
from qualsite.guard.denylist import DenyList, load_deny_list
from qualsite.guard.extract import DamagedError, Reading, read
from qualsite.guard.gate import GatePolicy, GateReport, describe, gate_files, gate_folder
from qualsite.guard.markup import BARRIER
from qualsite.guard.normalise import fold_for_names, fold_for_patterns, reading_orders
from qualsite.guard.redact import REDACTED

#: Lines 3 to 6 hold the identifiers; line 6 is written decomposed (e + U+0308).
DENY_LIST = (
    "# Real names, places and services of the study: never published\n"
    "\n"
    "Zo\u00eb Ashcombe\n"
    "Oakwood\n"
    "Jane Oakwood\n"
    "Noe\u0308l Brackley\n"
)
ZOE, OAKWOOD, JANE, NOEL = 3, 4, 5, 6
NAMES = {
    "Zo\u00eb Ashcombe": ZOE,
    "Oakwood": OAKWOOD,
    "Jane Oakwood": JANE,
    "No\u00ebl Brackley": NOEL,
}
#: Names a reader would take for none of the above (the control).
NEAR_MISSES = ["Oakwold", "Jane Oakley", "Zo\u00eb Ashcroft", "No\u00ebl Brackton"]
NAME_WORDS = ("oakwood", "ashcombe", "brackley")


@pytest.fixture(scope="module")
def deny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gate") / "deny-list.txt"
    path.write_text(DENY_LIST, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deny(deny_path: Path) -> DenyList:
    loaded = load_deny_list(deny_path, Problems())
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def policy(deny: DenyList) -> GatePolicy:
    return GatePolicy(deny)


def check(policy: GatePolicy, files: Iterable[tuple[str, bytes | None]]) -> GateReport:
    """Gate the files; no finding, nor the report, may print an identifier."""
    report = gate_files(files, policy)
    assert_no_identifier(describe(report))
    for finding in report.findings:
        assert_no_identifier(str(finding))
    return report


def assert_no_identifier(text: str) -> None:
    folded = fold_for_names(text)
    squeezed = re.sub(r"[\W_]+", "", folded)
    for form in (text.lower(), folded, squeezed):
        for word in NAME_WORDS:
            assert word not in form and word[::-1] not in form, text


def deny_findings(report: GateReport, deny_line: int | None = None) -> list[str]:
    wanted = "an identifier from the deny-list (line "
    if deny_line is not None:
        wanted += f"{deny_line} of "
    return [str(f) for f in report.findings if wanted in f.message]


# -- normalise ---------------------------------------------------------------------------

DISGUISES = [
    pytest.param("Oakwood", id="plain"),
    pytest.param("OAKWOOD", id="capitals"),
    pytest.param("O\u0301akwood", id="added-accent"),
    pytest.param("Oak\u00adwood", id="soft-hyphen"),
    pytest.param("Oak\u200bwood", id="zero-width-space"),
    pytest.param("Oak\u200dwood", id="zero-width-joiner"),
    pytest.param("Oak\u2060wood", id="word-joiner"),
    pytest.param("Oak\ufeffwood", id="byte-order-mark"),
    pytest.param("Oak\u034fwood", id="combining-grapheme-joiner"),
    pytest.param("Oak\ufe0fwood", id="variation-selector"),
    pytest.param("Oak\U000e0041wood", id="tag-character"),
    pytest.param("\uff2f\uff41\uff4b\uff57\uff4f\uff4f\uff44", id="fullwidth"),
    pytest.param("\U0001d40e\U0001d41a\U0001d424wood", id="mathematical-bold"),
    pytest.param("\u041eakw\u043eod", id="cyrillic-o"),
    pytest.param("\u039fakwood", id="greek-capital-omicron"),
    pytest.param("Oa\u041awood", id="cyrillic-capital-ka"),
    pytest.param("Oa\u039awood", id="greek-capital-kappa"),
]


@pytest.mark.parametrize("disguised", DISGUISES)
def test_every_disguise_folds_to_the_plain_name(disguised: str) -> None:
    assert fold_for_names(disguised) == "oakwood"


@pytest.mark.parametrize(
    ("look_alike", "latin"),
    [
        ("\u0410", "a"),  # Cyrillic capital A
        ("\u0412", "b"),  # Cyrillic capital VE, drawn B
        ("\u0415", "e"),
        ("\u041a", "k"),  # Cyrillic capital KA, drawn K
        ("\u041c", "m"),  # Cyrillic capital EM, drawn M
        ("\u041d", "h"),  # Cyrillic capital EN, drawn H
        ("\u041e", "o"),
        ("\u0420", "p"),
        ("\u0421", "c"),
        ("\u0422", "t"),  # Cyrillic capital TE, drawn T
        ("\u0425", "x"),
        ("\u0391", "a"),  # Greek capital ALPHA
        ("\u0392", "b"),  # Greek capital BETA
        ("\u0395", "e"),  # Greek capital EPSILON
        ("\u0397", "h"),  # Greek capital ETA
        ("\u039c", "m"),  # Greek capital MU
        ("\u03a7", "x"),  # Greek capital CHI
        ("\u0396", "z"),  # Greek capital ZETA
        ("\u039a", "k"),  # Greek capital KAPPA
        ("\u039d", "n"),  # Greek capital NU
        ("\u039f", "o"),
        ("\u03a4", "t"),  # Greek capital TAU
        ("\u0430", "a"),
        ("\u0435", "e"),
        ("\u043e", "o"),
        ("\u0440", "p"),
        ("\u0441", "c"),
        ("\u0455", "s"),
        ("\u0458", "j"),
        ("\u03bf", "o"),
    ],
)
def test_look_alike_letters_of_other_scripts_fold_to_their_latin_letter(
    look_alike: str, latin: str
) -> None:
    assert fold_for_names(look_alike) == latin, unicodedata.name(look_alike)


def test_composed_and_decomposed_forms_fold_alike() -> None:
    composed, decomposed = "Zo\u00eb", "Zoe\u0308"
    assert fold_for_names(composed) == fold_for_names(decomposed) == "zoe"


def test_folding_keeps_every_line_break_where_it_was() -> None:
    text = "first\n\uff2fak\u00adwood\r\nZo\u00eb\n\u202edoowkaO\u202c\nlast"
    folded = fold_for_names(text)
    assert folded.count("\n") == text.count("\n")
    assert folded.splitlines()[1] == "oakwood"
    assert fold_for_patterns(text).count("\n") == text.count("\n")


def test_folding_for_patterns_keeps_digits_case_and_accents() -> None:
    assert fold_for_patterns("jane\uff20nhs.net") == "jane@nhs.net"
    assert fold_for_patterns("SW1A\u00a01AA") == "SW1A 1AA"
    assert fold_for_patterns("07700\u200b900\u00ad123") == "07700900123"
    assert fold_for_patterns("\uff10\uff17\uff17\uff10\uff10") == "07700"
    assert fold_for_patterns("Zo\u00eb WROTE") == "Zo\u00eb WROTE"


def test_a_right_to_left_override_is_read_as_it_is_shown() -> None:
    text = "Thanks to \u202edoowkaO\u202c today"
    orders = list(reading_orders(text))
    assert orders[0] == text
    assert any("Oakwood" in order for order in orders[1:])
    assert list(reading_orders("no override")) == ["no override"]


# -- the deny-list ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jane Oakwood",
        "jane-oakwood",
        "Jane_Oakwood",
        "JaneOakwood",
        "JANE.OAKWOOD",
        "jane\u00a0oakwood",
        "Jane,  Oakwood",
        "jane/oakwood/",
    ],
)
def test_an_entrys_words_match_across_any_separator_or_none(deny: DenyList, text: str) -> None:
    assert [m.deny_line for m in deny.find(f"seen by {text} there")] == [JANE]


@pytest.mark.parametrize("text", ["Oakwoods", "XOakwood", "Oakwood2", "Zo\u00eb Ashcombes"])
def test_entries_match_whole_words_only(deny: DenyList, text: str) -> None:
    assert deny.find(f"seen {text} there") == []


def test_a_name_across_a_line_break_is_found_on_its_first_line(deny: DenyList) -> None:
    assert [(m.deny_line, m.line) for m in deny.find("one\ntwo Jane\nOakwood")] == [(JANE, 2)]
    assert [(m.deny_line, m.line) for m in deny.find("a\nb\nc Oakwood's")] == [(OAKWOOD, 3)]


def test_a_decomposed_entry_finds_composed_text_and_the_other_way_round(deny: DenyList) -> None:
    assert [m.deny_line for m in deny.find("with No\u00ebl Brackley")] == [NOEL]
    assert [m.deny_line for m in deny.find("with Zoe\u0308 Ashcombe")] == [ZOE]


def test_an_entry_in_a_script_without_spaces_is_found_inside_a_run(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("\u5c71\u7530\n", encoding="utf-8")
    deny = load_deny_list(path, Problems())
    assert deny is not None
    assert [m.deny_line for m in deny.find("\u79c1\u306f\u5c71\u7530\u3067\u3059")] == [1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "the deny-list holds no identifier", id="empty"),
        pytest.param("\ufeff\n  \n", "the deny-list holds no identifier", id="blank"),
        pytest.param("# only\n# comments\n", "the deny-list holds no identifier", id="comments"),
        pytest.param("a\n#\n", "the deny-list holds no identifier", id="too-short"),
        pytest.param(b"\xff\xfeO\x00", "the deny-list is not UTF-8 text", id="not-utf-8"),
        pytest.param(None, "the deny-list is a folder", id="folder"),
    ],
)
def test_a_deny_list_that_would_check_nothing_is_an_error(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "names.txt"
    if content is None:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    problems = Problems()
    assert load_deny_list(path, problems) is None
    assert [p.message for p in problems.errors if message in p.message]


def test_a_missing_deny_list_is_an_error(tmp_path: Path) -> None:
    problems = Problems()
    assert load_deny_list(tmp_path / "nowhere.txt", problems) is None
    assert "the deny-list file does not exist" in problems.errors[0].message


def test_comments_blank_lines_and_short_entries_keep_the_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text("# names\n\nx\n  Oakwood  \n", encoding="utf-8")
    problems = Problems()
    deny = load_deny_list(path, problems)
    assert deny is not None and len(deny) == 1
    assert [m.deny_line for m in deny.find("at Oakwood")] == [4]
    assert [w.location.line for w in problems.warnings] == [3]


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_deny_list_variable_is_an_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("QUALSITE_DENY_LIST", value)
    with pytest.raises(QualsiteError, match="QUALSITE_DENY_LIST is set but empty"):
        deny_list_from_environment()


def test_no_deny_list_variable_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUALSITE_DENY_LIST", raising=False)
    assert deny_list_from_environment() is None


# -- reading files ------------------------------------------------------------------------------


def a_docx(bold: bool, *runs: str) -> bytes:
    """A Word file, made with python-docx, with one paragraph of these runs
    (every other one bold, if asked: Word splits runs wherever the
    formatting changes)."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for index, text in enumerate(runs):
        run = paragraph.add_run(text)
        if bold and index % 2 == 1:
            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def a_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_data(name: str, data: bytes) -> Reading:
    return read(name, partial(io.BytesIO, data))


def test_read_gives_each_kind_of_file_its_readings() -> None:
    page = read_data("index.html", b'<p title="T">Hello</p>')
    views = list(page.views)
    assert not list(page.members) and not page.opaque
    assert any(v.patterns and "Hello" in v.text for v in views)  # the text as shown
    tags = [v for v in views if v.then is not None]  # the tags, whose attributes are read
    assert [v.text.split(BARRIER) for v in tags] == [['<p title="T">', "</p>"]]
    assert ("T", True, "an attribute value in it") in list(tags[0].then(tags[0].text))
    index = read_data("search/search_index.json", b'{"docs": [{"text": "<p>Hi</p>"}]}')
    assert any("Hi" in v.text for v in index.views)
    script = read_data("a.js", b'var a = "\\u004fk";')
    assert any('var a = "Ok";' in v.text for v in script.views)
    text = read_data("notes.txt", b"one\ntwo\n")
    assert [(v.text, v.first_line, v.patterns) for v in text.views] == [("one\ntwo\n", 1, True)]
    assert read_data("figure.png", b"\x89PNG\r\n\x1a\n....").opaque
    archive = read_data("data.bin", a_zip({"a/b.txt": b"x"}))
    assert [m.name for m in archive.members] == ["a/b.txt"]
    unpacked = list(read_data("sitemap.xml.gz", gzip.compress(b"<urlset/>")).members)
    assert [m.name for m in unpacked] == ["sitemap.xml"]
    assert unpacked[0].opener is not None and unpacked[0].opener().read() == b"<urlset/>"
    (broken,) = read_data("broken.zip", b"PK\x03\x04 not really").members
    assert broken.problem is not None
    (garbled,) = read_data("broken.gz", b"\x1f\x8b not really").members
    with pytest.raises(DamagedError):
        assert garbled.opener is not None
        garbled.opener().read()


def _kind(path: str, data: bytes, shown: str, line: int | None, name: str) -> object:
    return pytest.param(path, data, shown, line, id=name)


#: (file as published, its bytes, the path a finding shows, the line it
#: gives where the file has lines to give).
FILE_KINDS = [
    _kind("index.html", b"<p>Thanks to Oak<b>wood</b>.</p>", "index.html", None, "html-text"),
    _kind(
        "index.html",
        b'<p>\n<img alt="Jane Oakwood" src="a.png"></p>',
        "index.html",
        None,
        "html-attribute",
    ),
    _kind("index.html", b"<p>x</p>\n<!-- for Oakwood -->", "index.html", None, "html-comment"),
    _kind(
        "index.html",
        b'<p>x</p>\n<script>var who = "Oakwood";</script>',
        "index.html",
        None,
        "html-script",
    ),
    _kind(
        "index.html",
        b'<script>document.write("Oak\\u0077ood")</script>',
        "index.html",
        None,
        "html-script-js-escape",
    ),
    _kind(
        "index.html",
        b'<script type="application/json">{"who": "Zo\\u00eb Ashcombe"}</script>',
        "index.html",
        None,
        "html-script-json-ascii",
    ),
    _kind("index.html", b"<p>Oak<script>1</script>wood</p>", "index.html", None, "split-by-script"),
    _kind("index.html", b"<p>Oak<style>p{}</style>wood</p>", "index.html", None, "split-by-style"),
    _kind(
        "index.html",
        b"<p>Oak<template>x</template>wood</p>",
        "index.html",
        None,
        "split-by-template",
    ),
    _kind(
        "search/search_index.json",
        b'{"config": {}, "docs": [{"location": "", "title": "Home", '
        b'"text": "<p>Thanks to Oak<em>wood</em></p>"}]}',
        "search/search_index.json",
        None,
        "search-index",
    ),
    _kind(
        "search/search_index.json",
        b'{"docs": [{"location": "people/oak%77ood/", "text": "\\u004fakwood"}]}',
        "search/search_index.json",
        None,
        "json-escapes",
    ),
    _kind(
        "assets/extra.js",
        b'// thanks\ndocument.write("\\u004fak\\x77ood");',
        "assets/extra.js",
        2,
        "js-escapes",
    ),
    _kind("assets/extra.js", b'var who = "\\u{4f}akwood";', "assets/extra.js", 1, "js-code-point"),
    _kind(
        "assets/extra.css",
        b'.md-footer::after { content: "Oak\\77ood"; }',
        "assets/extra.css",
        None,
        "css-escape",
    ),
    # CSS joins a declaration's strings: the page shows "Oakwood".
    _kind(
        "assets/extra.css",
        b'.md-footer::after {\n  content: "Thanks to Oak" "wood";\n}',
        "assets/extra.css",
        None,
        "css-joined-strings",
    ),
    _kind(
        "index.html",
        b"<style>h1::after { content: 'Oak' \"w\\6f od\"; }</style><h1>Hi</h1>",
        "index.html",
        None,
        "style-element-joined-strings",
    ),
    _kind(
        "figures/figure-1.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>Oak<tspan>wood</tspan></text></svg>',
        "figures/figure-1.svg",
        None,
        "svg-tspan",
    ),
    _kind(
        "sitemap.xml",
        b'<?xml version="1.0"?>\n<urlset><url><loc>https://x.org/oakwood/</loc></url></urlset>',
        "sitemap.xml",
        None,
        "xml",
    ),
    _kind(
        "downloads/codebook.qdc",
        b'<?xml version="1.0"?><CodeBook><Code name="x"><Description><![CDATA[Oakwood]]>'
        b"</Description></Code></CodeBook>",
        "downloads/codebook.qdc",
        None,
        "xml-cdata",
    ),
    _kind("downloads/codebook.csv", b"id,name\nx,Oakwood\n", "downloads/codebook.csv", 2, "csv"),
    _kind(
        "figures/figure-1.dot",
        b'digraph {\n  a [label="Oakwood"]\n}\n',
        "figures/figure-1.dot",
        2,
        "dot",
    ),
    _kind(
        "downloads/guide.docx",
        a_docx(False, "Thanks to Oak", "wo", "od."),
        "downloads/guide.docx!/word/document.xml",
        None,
        "docx-plain-runs",
    ),
    _kind(
        "downloads/guide.docx",
        a_docx(True, "Thanks to Oak", "wo", "od."),
        "downloads/guide.docx!/word/document.xml",
        None,
        "docx-bold-run",
    ),
    _kind(
        "downloads/data.bin",
        a_zip({"inner/notes.txt": b"first\nJane Oakwood\n"}),
        "downloads/data.bin!/inner/notes.txt",
        2,
        "zip-with-another-suffix",
    ),
    _kind(
        "downloads/outer.zip",
        a_zip({"inner.zip": a_zip({"notes.txt": b"Oakwood"})}),
        "downloads/outer.zip!/inner.zip!/notes.txt",
        1,
        "zip-in-a-zip",
    ),
    _kind(
        "sitemap.xml.gz",
        gzip.compress(b"<urlset><url><loc>https://x.org/oakwood/</loc></url></urlset>"),
        "sitemap.xml.gz!/sitemap.xml",
        None,
        "gzip",
    ),
    _kind(
        "downloads/notes.txt",
        "first\nThanks to Jane Oakwood\n".encode("utf-16"),
        "downloads/notes.txt",
        2,
        "utf-16-text",
    ),
]


def assert_lines_are_lines_of(report: GateReport, files: dict[str, bytes]) -> None:
    """A line a finding gives is a line of its file (never 0 or negative)."""
    for finding in report.findings:
        if finding.line is None:
            continue
        assert finding.line >= 1, finding
        data = files.get(finding.path)
        if data is not None:
            assert finding.line <= data.count(b"\n") + 1, finding


def test_what_a_stylesheet_draws_is_read_as_shown_text(policy: GatePolicy) -> None:
    # The words of its content declarations, for personal data too; not the
    # rest of it (a property named like one, a selector, an attribute's name).
    css = (
        b".note::before { content: 'Call 07700 ' \"900123\" / ''; }\n"
        b".row { justify-content: space-between; }\n"
        b'.content:hover { background: url("ward-2019-03-12.jpg"); }\n'
        b'a::after { content: " <" attr(data-07700900123) ">"; }\n'
        b'/* content: "call 07700 900123" was removed */\n'
        b'h1::before { content: url("banner-12.03.2019.png"); }\n'
        # A counter between strings draws a number of its own.
        b'li::before { content: "0" counter(n) "7700 900" counter(m) "123"; }\n'
    )
    report = check(policy, [("assets/extra.css", css)])
    assert [str(f) for f in report.findings] == [
        "assets/extra.css: the text a stylesheet in it draws holds what looks like a phone number"
    ]


@pytest.mark.parametrize(("path", "data", "shown", "line"), FILE_KINDS)
def test_a_name_is_found_in_each_kind_of_file(
    policy: GatePolicy, path: str, data: bytes, shown: str, line: int | None
) -> None:
    report = check(policy, [(path, data)])
    found = [f for f in report.findings if "an identifier from the deny-list" in f.message]
    assert [f for f in found if f.path == shown], report.findings
    assert_lines_are_lines_of(report, {path: data})
    if line is not None:
        assert line in {f.line for f in found}, report.findings


def test_findings_give_the_deny_lists_line_and_a_line_of_a_text_file(
    policy: GatePolicy, deny: DenyList
) -> None:
    page = b'<html>\n<p title="Oakwood">\nJane <b>Oak</b>wood</p>\n</html>\n'
    notes = b"first\nsecond\nthird holds Oakwood\n"
    report = check(policy, [("a.html", page), ("notes.txt", notes)])
    assert_lines_are_lines_of(report, {"a.html": page, "notes.txt": notes})
    named = {
        (f.path, f.line, f.message.split("(line ")[1])
        for f in report.findings
        if "an identifier from the deny-list" in f.message
    }
    # A page's attribute and its split name, each found (a page's findings
    # name the file: its markup has no lines worth giving); a text file's,
    # at its line.
    assert ("a.html", None, f"{OAKWOOD} of {deny.shown_path})") in named
    assert ("a.html", None, f"{JANE} of {deny.shown_path})") in named
    assert ("notes.txt", 3, f"{OAKWOOD} of {deny.shown_path})") in named


@pytest.mark.parametrize(
    "page",
    [
        "<p>Write to No\u00ebl<br>Brackley.</p>".encode(),
        "<p>Write to No\u00ebl<br />\nBrackley.</p>".encode(),
        "<address>Zo\u00eb<br/>Ashcombe</address>".encode(),
    ],
    ids=["br", "br-and-newline", "address"],
)
def test_a_name_across_a_line_break_of_a_page_is_found(policy: GatePolicy, page: bytes) -> None:
    # As the deny-list finds "Noël\nBrackley" in text, so the gate finds it
    # across a line break of a page: a reader reads the name on two lines.
    report = check(policy, [("index.html", page)])
    assert deny_findings(report), report.findings


LONG = 101


def _long_file(kind: str, at: int) -> tuple[str, bytes]:
    """A file of LONG lines with the name on line ``at`` only (in a form
    only its source shows: an attribute, a script's string, an address)."""
    if kind == "js":
        lines = [f"var x{n} = {n};" for n in range(1, LONG + 1)]
        lines[at - 1] = 'var who = "Oak\\u0077ood";'
        return "assets/extra.js", "\n".join(lines).encode()
    if kind == "html":
        lines = [f"<p>Paragraph {n}.</p>" for n in range(1, LONG + 1)]
        lines[at - 1] = '<p><a href="/people/oakwood/">a colleague</a></p>'
        return "page/index.html", "\n".join(lines).encode()
    lines = [f"<url><loc>https://x.org/p{n}/</loc></url>" for n in range(1, LONG + 1)]
    lines[at - 1] = "<url><loc>https://x.org/oak%77ood/</loc></url>"
    return "sitemap.xml", "\n".join(lines).encode()


@pytest.mark.parametrize("at", [1, 2, 3, 40, 41, 60, LONG])
@pytest.mark.parametrize("kind", ["js", "html", "xml"])
def test_a_name_on_any_line_of_a_long_file_is_found_at_that_line(
    policy: GatePolicy, kind: str, at: int
) -> None:
    path, data = _long_file(kind, at)
    report = check(policy, [(path, data)])
    lines = {f.line for f in report.findings if "an identifier from the deny-list" in f.message}
    # A script's lines are given; a page's or an XML file's findings name
    # the file only (their markup is read in units, not lines).
    assert lines == ({at} if kind == "js" else {None}), report.findings


def test_a_line_seen_on_an_earlier_page_is_still_found_on_a_later_one(
    policy: GatePolicy,
) -> None:
    # The gate reads what a site repeats once; what it skips must have been read.
    head = "".join(f"<meta name='m{n}' content='{n}'>\n" for n in range(60))
    leak = '<meta name="author" content="Oakwood">\n'
    first = f"<html>\n{leak}{head}<p>first</p>\n</html>\n".encode()
    second = f"<html>\n{leak}{head}<p>second</p>\n</html>\n".encode()
    report = check(policy, [("a/index.html", first), ("b/index.html", second)])
    assert deny_findings(report, OAKWOOD), report.findings


def test_a_name_across_a_line_break_of_an_attribute_is_found_whatever_other_pages_hold(
    policy: GatePolicy,
) -> None:
    # a.html and b.html each hold one line of c.html's attribute; read line
    # by line, c.html's lines would both have been seen already. Its tag is
    # read whole, so "Jane\nOakwood" is found there.
    files = [
        ("a.html", b'<p><a title="Jane\nx" href="/a/">one</a></p>'),
        ("b.html", b'<p><a title="y\nOakwood" href="/b/">two</a></p>'),
        ("c.html", b'<p><a title="Jane\nOakwood" href="/c/">three</a></p>'),
    ]
    report = check(policy, files)
    assert [f for f in deny_findings(report, JANE) if f.startswith("c.html: ")], report.findings


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("people/oakwood/index.html", f"people/{REDACTED}/index.html"),
        ("people/Oak%77ood/index.html", f"people/{REDACTED}/index.html"),
        ("people/%EF%BC%AFakwood.html", f"people/{REDACTED}.html"),
        ("people/jane-oakwood.png", f"people/{REDACTED}.png"),
        ("Zoe\u0308 Ashcombe/a.txt", f"{REDACTED}/a.txt"),
    ],
)
def test_a_path_part_that_holds_a_name_is_shown_as_an_ellipsis(
    policy: GatePolicy, path: str, shown: str
) -> None:
    report = check(policy, [(path, b"nothing here")])
    assert [f.path for f in report.findings] == [shown]
    assert report.findings[0].message.startswith("its name holds an identifier")


def test_a_zip_members_name_is_checked_and_cut_out(policy: GatePolicy) -> None:
    data = a_zip({"people/Jane Oakwood.txt": b"nothing", "empty/oakwood/": b""})
    report = check(policy, [("bundle.zip", data)])
    assert sorted(f.path for f in report.findings) == [
        f"bundle.zip!/empty/{REDACTED}/",
        f"bundle.zip!/people/{REDACTED}.txt",
    ]


@pytest.mark.parametrize(
    ("files", "shown"),
    [
        pytest.param(
            [("people/jane/oakwood/index.html", b"<p>nothing here</p>")],
            f"people/{REDACTED}/index.html",
            id="page-path",
        ),
        pytest.param(
            [("d.zip", a_zip({"Jane/Oakwood.txt": b"nothing here"}))],
            f"d.zip!/{REDACTED}.txt",
            id="zip-member",
        ),
    ],
)
def test_a_name_across_the_parts_of_a_path_is_cut_out_whole(
    policy: GatePolicy, deny: DenyList, files: list[tuple[str, bytes]], shown: str
) -> None:
    # "Jane" alone is no identifier, but the path reads "Jane Oakwood": the
    # whole name goes, not only the part on the deny-list by itself.
    report = check(policy, files)
    assert [f.path for f in report.findings] == [shown]
    assert report.findings[0].message == (
        f"its name holds an identifier from the deny-list (line {JANE} of {deny.shown_path})"
    )
    assert "jane" not in describe(report).lower()


@pytest.mark.parametrize(
    "href",
    [
        "/people/Oak%77ood/",
        "/people/%4F%41%4B%57%4F%4F%44/",
        "/people/Oak%C2%ADwood/",
        "/people/Oak%E2%80%8Bwood/",
        "/people/%EF%BC%AFakwood/",
        "/people/%D0%9Eakwood/",
        "/people/Jane%20Oakwood/",
        "/people/Zoe%CC%88-Ashcombe/",
        "/people/&#79;akwood/",
        "?who=Oak%77ood",
    ],
)
def test_a_percent_encoded_name_in_a_link_is_found(policy: GatePolicy, href: str) -> None:
    report = check(policy, [("index.html", f'<p><a href="{href}">a colleague</a></p>'.encode())])
    assert deny_findings(report), href


def test_an_unchanged_vendor_file_is_skipped_and_a_changed_one_is_read(
    deny: DenyList, tmp_path: Path
) -> None:
    # A theme's script may hold any word (a stemmer's word list); while it is
    # the theme's file byte for byte nothing of the study can be in it.
    original = tmp_path / "theme.js"
    original.write_bytes(b'var words = ["oakwood"];\n')
    policy = GatePolicy(deny, vendor={"assets/theme.js": original})
    unchanged = original.read_bytes()
    assert check(policy, [("assets/theme.js", unchanged)]).findings == []
    changed = unchanged.replace(b"words", b"names")  # same size, other bytes
    assert deny_findings(check(policy, [("assets/theme.js", changed)]))
    longer = unchanged + b"// more\n"
    assert deny_findings(check(policy, [("assets/theme.js", longer)]))
    # The same bytes at another path are not the vendor's file.
    assert deny_findings(check(policy, [("assets/other.js", unchanged)]))


def test_a_vendor_file_that_is_gone_is_read(deny: DenyList, tmp_path: Path) -> None:
    policy = GatePolicy(deny, vendor={"assets/theme.js": tmp_path / "missing.js"})
    assert deny_findings(check(policy, [("assets/theme.js", b'var w = "Oakwood";')]))


def test_approved_personal_data_passes_and_the_rest_is_found(deny: DenyList) -> None:
    approved = frozenset(approval_keys("2024-05-01") | approval_keys("SW1A 1AA"))
    policy = GatePolicy(deny, approved=approved)
    page = (
        b"<p>Built on 2024-05-01 at SW1A&nbsp;1AA.</p>\n"
        b"<p>Born 1985-03-12; ring 07700 900123; write to jane&#xff20;nhs.net.</p>"
    )
    report = check(policy, [("index.html", page)])
    kinds = sorted(f.message.split(" holds what looks like ")[1] for f in report.findings)
    assert kinds == [
        "a full date (it may be a date of birth)",
        "a phone number",
        "an e-mail address",
    ]
    for secret in ("1985-03-12", "07700 900123", "jane@nhs.net"):
        assert secret not in describe(report)


def test_personal_data_in_a_text_download_is_found_at_its_line(policy: GatePolicy) -> None:
    report = check(policy, [("downloads/codebook.csv", b"id,note\nx,ring 01603 456789\n")])
    assert [(f.path, f.line) for f in report.findings] == [("downloads/codebook.csv", 2)]
    assert report.findings[0].message.endswith("holds what looks like a phone number")


def test_personal_data_in_a_search_results_caption_is_found(policy: GatePolicy) -> None:
    # A search result's caption (participant and label) is shown from an
    # attribute, so that no query matches it: what it shows is read too.
    caption = '<span class=\\"qs-search-caption\\" data-qs-caption=\\"ring 01603 456789\\"></span>'
    index = f'{{"docs": [{{"location": "a/#x", "title": "{caption}", "text": ""}}]}}'
    report = check(policy, [("search/search_index.json", index.encode())])
    assert [f.path for f in report.findings] == ["search/search_index.json"]
    assert report.findings[0].message.endswith("holds what looks like a phone number")


def test_digits_in_two_table_cells_are_not_one_phone_number(policy: GatePolicy) -> None:
    page = b"<table><tr><td>0123</td><td>456789</td></tr></table>"
    assert check(policy, [("tables/index.html", page)]).findings == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("P1 1st interview", id="participant-and-ordinal"),
        pytest.param("T1 2nd", id="time-and-ordinal"),
        pytest.param("W1 1st", id="postcode-area-and-ordinal"),
        pytest.param("0.25 0.5 0.75 1.0", id="decimals"),
    ],
)
def test_ids_ordinals_and_decimals_are_not_personal_data(policy: GatePolicy, text: str) -> None:
    page = f"<p>In the {text} the answers were coded.</p>".encode()
    assert check(policy, [("index.html", page)]).findings == []


@pytest.mark.parametrize(
    ("text", "description"),
    [
        pytest.param("B33 8TH", "a UK postcode", id="postcode-ending-like-an-ordinal"),
        pytest.param("07700.900.123", "a phone number", id="dotted-phone"),
    ],
)
def test_a_postcode_that_ends_like_an_ordinal_and_a_dotted_phone_number_are_found(
    policy: GatePolicy, text: str, description: str
) -> None:
    report = check(policy, [("index.html", f"<p>Write to {text} today.</p>".encode())])
    assert [f.message for f in report.findings] == [f"its text holds what looks like {description}"]
    assert text not in describe(report)


def test_a_copy_of_a_forbidden_file_is_found_under_any_name(deny: DenyList, tmp_path: Path) -> None:
    codebook = tmp_path / "codebook"
    codebook.mkdir()
    participants = codebook / "participants.yml"
    participants.write_bytes(b"participants:\n  - {id: P3, withdrawn: true}\n")
    policy = GatePolicy(deny, forbidden=[participants, codebook / "missing.yml"])
    data = participants.read_bytes()
    report = check(policy, [("notes/people.txt", data)])
    assert len(report.findings) == 1
    assert report.findings[0].path == "notes/people.txt"
    assert report.findings[0].message.startswith(
        f"it is a copy of {participants.as_posix()}, which must never be published"
    )
    # Inside an archive too.
    assert check(policy, [("bundle.zip", a_zip({"x/p.yml": data}))]).findings
    # Same size, other bytes: not a copy.
    other = data.replace(b"P3", b"P4")
    assert check(policy, [("notes/people.txt", other)]).findings == []


def test_a_file_that_cannot_be_read_is_a_finding(policy: GatePolicy) -> None:
    # The gate fails closed: a file it cannot read is not taken for an empty one.
    report = check(policy, [("index.html", None), ("people/oakwood.html", None)])
    assert {f.path for f in report.findings} == {"index.html", f"people/{REDACTED}.html"}


def test_archives_nested_too_deep_cannot_be_checked(policy: GatePolicy) -> None:
    data = b"hello"
    for depth in range(5):
        data = a_zip({f"level{depth}.zip" if depth else "notes.txt": data})
    report = check(policy, [("deep.zip", data)])
    assert any("archives nest too deep" in f.message for f in report.findings)


def test_a_file_that_cannot_be_unpacked_is_a_finding(policy: GatePolicy) -> None:
    report = check(policy, [("downloads/tables.docx", b"PK\x03\x04broken")])
    assert [f.message for f in report.findings] == [
        "cannot be checked: it looks like a zip file but cannot be opened"
    ]


def a_damaged_zip(how: str) -> bytes:
    """A zip of one entry, named after a participant, that cannot be
    unpacked: a byte of it changed (its CRC fails), its local header
    disagreeing with the central directory, or packed with a compression
    method Python cannot unpack (93, Zstandard)."""
    data = b"Signed by Jane Oakwood.\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # stored: its bytes as written
        archive.writestr("forms/Jane Oakwood.txt", data)
    raw = bytearray(buffer.getvalue())
    local, central = raw.index(b"PK\x03\x04"), raw.index(b"PK\x01\x02")
    if how == "bad-crc":
        raw[raw.index(data)] ^= 0x20
    elif how == "header-disagrees":
        raw[local + 26] += 1  # the local header's name runs one byte longer
    else:
        raw[local + 8] = raw[central + 10] = 93
    return bytes(raw)


@pytest.mark.parametrize("how", ["bad-crc", "header-disagrees", "unknown-compression"])
def test_a_zip_entry_that_cannot_be_unpacked_is_a_finding_that_names_no_identifier(
    policy: GatePolicy, how: str
) -> None:
    # A finding like an encrypted entry's (the gate fails closed), whatever
    # zipfile raised and whenever; ``check`` asserts no message names her.
    report = check(policy, [("d.zip", a_damaged_zip(how))])
    unreadable = [f.path for f in report.findings if "cannot be" in f.message]
    assert unreadable == [f"d.zip!/forms/{REDACTED}.txt"], report.findings


def test_images_are_read_by_name_only_and_listed_as_opaque(policy: GatePolicy) -> None:
    report = check(policy, [("img/photo.png", b"\x89PNG Oakwood"), ("img/oakwood.png", b"\x89PNG")])
    assert [f.path for f in report.findings] == [f"img/{REDACTED}.png"]
    assert report.opaque == ["img/photo.png", f"img/{REDACTED}.png"]


def test_gate_folder_reads_every_file_under_the_folder(policy: GatePolicy, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a/b").mkdir(parents=True)
    (site / "index.html").write_text("<p>Hello</p>", encoding="utf-8")
    (site / "a/b/notes.txt").write_text("one\nOakwood\n", encoding="utf-8")
    (site / ".hidden").write_text("Oakwood", encoding="utf-8")
    report = gate_folder(site, policy)
    assert report.files == 3
    assert sorted(f.path for f in report.findings) == [".hidden", "a/b/notes.txt"]
    assert [f.line for f in report.findings if f.path == "a/b/notes.txt"] == [2]


def test_a_name_on_every_page_is_one_finding_a_page_and_the_list_is_cut_short(
    policy: GatePolicy,
) -> None:
    files = [
        (f"p{n:02}/index.html", f"<p>Page {n}: <b>Oak</b>wood</p>".encode()) for n in range(20)
    ]
    report = check(policy, files)
    assert len(report.findings) == 20
    message = describe(report)
    assert "found 20 things that must not be published" in message
    assert "... and 8 more, in 20 files in all" in message
    assert "Nothing was published." in message


def test_without_a_deny_list_only_the_patterns_are_checked() -> None:
    report = gate_files([("oakwood.html", b"<p>Oakwood, 07700 900123</p>")], GatePolicy(None))
    assert [f.path for f in report.findings] == ["oakwood.html"]
    assert report.findings[0].message.endswith("holds what looks like a phone number")


# -- the property: a name anywhere in a real page, in any disguise, is found --------------------

#: Carriers: pages of the example study's site, as built.
CARRIERS = [
    "index.html",
    "categories/index.html",
    "categories/peer-support/index.html",
    "model/index.html",
    "tables/index.html",
    "cite/index.html",
]


class Carriers:
    """Pages of a built site and the gate policy of its build (a plain
    class: Hypothesis prints it, by its repr, with a failing example)."""

    def __init__(self, pages: dict[str, str], policy: GatePolicy) -> None:
        self.pages = pages
        self.policy = policy

    def __repr__(self) -> str:
        return f"Carriers({sorted(self.pages)})"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, deny: DenyList) -> Carriers:
    """The example site's pages and the gate policy its build used, with
    this module's deny-list in place of the suite's."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from qualsite.plugin import QualsitePlugin

    site = tmp_path_factory.mktemp("example") / "site"
    config = load_config(config_file=str(REPO / "mkdocs.yml"), strict=True, site_dir=str(site))
    build(config)
    plugin = next(p for p in config.plugins.values() if isinstance(p, QualsitePlugin))
    assert plugin.site is not None
    policy = replace(plugin.site.gate_policy, deny=deny, vendor=dict(plugin.vendor_files))
    pages = {name: (site / name).read_text(encoding="utf-8") for name in CARRIERS}
    return Carriers(pages, policy)


_RAW = re.compile(r"<(script|style|svg|template|textarea|title)\b", re.IGNORECASE)
_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.DOTALL)


def insertion_points(page: str) -> list[int]:
    """Offsets in the page's body where a reader's text can go: the start and
    end of each text node, and after each space in it (never inside an entity
    or a tag), outside scripts, styles and the inline figure."""
    body = page.index("<body")
    points: list[int] = []
    raw: str | None = None
    for token in _TOKEN.finditer(page, body):
        text = token.group()
        if raw is not None:
            if re.match(rf"</{raw}\s*>", text, re.IGNORECASE):
                raw = None
            continue
        if text.startswith("<"):
            opened = _RAW.match(text)
            if opened and not text.endswith("/>"):
                raw = opened.group(1).lower()
            continue
        if not text.strip():
            continue
        points += [token.start(), token.end()]
        points += [token.start() + m.end() for m in re.finditer(r"\s", text)]
    return points


#: Letters drawn exactly like a Latin letter (Cyrillic and Greek).
LOOK_ALIKES = {
    "A": "\u0410\u0391",
    "B": "\u0412\u0392",
    "C": "\u0421",
    "E": "\u0415\u0395",
    "H": "\u041d\u0397",
    "J": "\u0408",
    "K": "\u041a\u039a",
    "M": "\u041c\u039c",
    "N": "\u039d",
    "O": "\u041e\u039f",
    "P": "\u0420\u03a1",
    "T": "\u0422\u03a4",
    "X": "\u0425\u03a7",
    "Z": "\u0396",
    "a": "\u0430",
    "c": "\u0441",
    "e": "\u0435",
    "j": "\u0458",
    "o": "\u043e\u03bf",
    "p": "\u0440",
    "s": "\u0455",
    "x": "\u0445",
    "y": "\u0443",
}
INVISIBLES = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
INVISIBLE_ENTITIES = ["&shy;", "&ZeroWidthSpace;", "&#8203;", "&#x200D;", "&NoBreak;", "&zwnj;"]
#: Markup that splits a word on the page and shows nothing of its own.
SPLITTERS = ["<!-- -->", "<!---->", "<wbr>", "<b></b>", "<span></span>", '<span class="x"></span>']
WRAPPERS = ["b", "span", "em", "strong", "i", "mark", "code"]


def _named_entities(letter: str) -> list[str]:
    """Named entities that show this letter in another style: double-struck,
    fraktur, script (which fold back to the letter)."""
    names = (f"{letter}opf;", f"{letter}fr;", f"{letter}scr;")
    return [f"&{name}" for name in names if name in html.entities.html5]


@st.composite
def letter_forms(draw: st.DrawFn, character: str) -> str:
    """One letter of the name as a page may write it."""
    character = draw(st.sampled_from([character, character.swapcase()]))
    forms = [
        character,
        unicodedata.normalize("NFD", character),
        f"&#{ord(character)};",
        f"&#x{ord(character):X};",
        *_named_entities(character),
        *LOOK_ALIKES.get(character, ""),
    ]
    if character.isascii():
        forms.append(chr(ord(character) + 0xFEE0))  # fullwidth
    if character in NAMED_ACCENTED:
        forms.append(NAMED_ACCENTED[character])
    return draw(st.sampled_from(forms))


NAMED_ACCENTED = {"\u00eb": "&euml;", "\u00cb": "&Euml;"}
SPACES = [" ", "  ", "&nbsp;", "\u00a0", "&#32;", "\n", "-", "<br>"]


@st.composite
def disguised(draw: st.DrawFn, name: str) -> str:
    """The name as a page may show it: each letter in some form, invisible
    characters and markup that shows nothing between letters, perhaps
    written backwards under a right-to-left override, perhaps partly
    wrapped in an inline element."""
    form = draw(st.sampled_from(["NFC", "NFD"]))
    # A base letter and its combining accent stay together.
    units = re.findall(r".[\u0300-\u036f]*", unicodedata.normalize(form, name))
    pieces: list[str] = []
    for index, unit in enumerate(units):
        if unit == " ":
            pieces.append(draw(st.sampled_from(SPACES)))
            continue
        pieces.append(draw(letter_forms(unit[0])) + unit[1:])
        if index + 1 < len(units) and units[index + 1] != " ":
            between = draw(st.sampled_from(["", "", *INVISIBLES, *INVISIBLE_ENTITIES, *SPLITTERS]))
            if between:
                pieces.append(between)
    if draw(st.booleans()) and not any("<" in p or "\n" in p for p in pieces):
        pieces = ["\u202e", *reversed(pieces), "\u202c"]
    if draw(st.booleans()):
        start = draw(st.integers(0, len(pieces) - 1))
        end = draw(st.integers(start + 1, len(pieces)))
        tag = draw(st.sampled_from(WRAPPERS))
        pieces = [*pieces[:start], f"<{tag}>", *pieces[start:end], f"</{tag}>", *pieces[end:]]
    return "".join(pieces)


@st.composite
def in_an_href(draw: st.DrawFn, name: str) -> str:
    """A link whose address alone holds the name, percent-encoded (letter by
    letter, in any of the forms above), with invisible characters."""
    parts = []
    for character in unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), name):
        if character == " ":
            parts.append(draw(st.sampled_from(["%20", "-", "_", "+", "%C2%A0", "/"])))
            continue
        if unicodedata.combining(character):
            forms = [character]
        else:
            character = draw(st.sampled_from([character, character.swapcase()]))
            forms = [character, *LOOK_ALIKES.get(character, "")]
            if character.isascii():
                forms.append(chr(ord(character) + 0xFEE0))
        form = draw(st.sampled_from(forms))
        encoded = "".join(f"%{byte:02X}" for byte in form.encode("utf-8"))
        parts.append(draw(st.sampled_from([form, encoded, encoded.lower(), f"&#{ord(form)};"])))
        if draw(st.integers(0, 4)) == 0:
            parts.append(draw(st.sampled_from(["%C2%AD", "%E2%80%8B", "%E2%81%A0"])))
    return f'<a href="../people/{"".join(parts)}/">a colleague</a>'


def _names(how):  # type: ignore[no-untyped-def]
    return st.sampled_from(sorted(NAMES)).flatmap(lambda name: how(name).map(lambda t: (name, t)))


def _near_misses(how):  # type: ignore[no-untyped-def]
    return st.sampled_from(NEAR_MISSES).flatmap(lambda name: how(name).map(lambda t: (name, t)))


def gate_page_with(built: Carriers, carrier: str, text: str, where: int) -> GateReport:
    """The carrier page with the text put at one of its insertion points."""
    pages, policy = built.pages, built.policy
    page = pages[carrier]
    points = insertion_points(page)
    point = points[where % len(points)]
    changed = f"{page[:point]} {text} {page[point:]}"
    return check(policy, [(carrier, changed.encode("utf-8"))])


def test_the_carrier_pages_alone_have_no_finding(
    built: Carriers,
) -> None:
    pages, policy = built.pages, built.policy
    for carrier, page in pages.items():
        assert len(insertion_points(page)) > 50, carrier
        assert check(policy, [(carrier, page.encode("utf-8"))]).findings == [], carrier


CARRIER = st.sampled_from(CARRIERS)
WHERE = st.integers(0, 2**20)


@settings(deadline=None, max_examples=400)
@given(carrier=CARRIER, name_and_text=_names(disguised), where=WHERE)
@example(carrier="index.html", name_and_text=("Oakwood", "Oak<b>wood</b>"), where=0)
@example(carrier="index.html", name_and_text=("Oakwood", "Oak<span>wood</span>"), where=7)
@example(carrier="index.html", name_and_text=("Oakwood", "Oak<!-- -->wood"), where=9)
@example(carrier="index.html", name_and_text=("Oakwood", "&#79;akwood"), where=11)
@example(carrier="index.html", name_and_text=("Oakwood", "&Oopf;akwood"), where=13)
@example(carrier="model/index.html", name_and_text=("Oakwood", "\u202edoowkaO\u202c"), where=3)
@example(
    carrier="tables/index.html", name_and_text=("Zo\u00eb Ashcombe", "ZOE\u0308 ASHCOMBE"), where=5
)
@example(
    carrier="categories/index.html",
    name_and_text=("No\u00ebl Brackley", "No\u00ebl<br>Brackley"),
    where=4,
)
@example(
    carrier="cite/index.html", name_and_text=("Jane Oakwood", "Jane&nbsp;Oak\u00adwood"), where=1
)
# A Cyrillic capital VE is drawn exactly as a Latin B.
@example(
    carrier="index.html", name_and_text=("No\u00ebl Brackley", "No\u00ebl \u0412rackley"), where=2
)
def test_a_disguised_name_anywhere_in_a_real_page_is_found(
    built: Carriers,
    carrier: str,
    name_and_text: tuple[str, str],
    where: int,
) -> None:
    name, text = name_and_text
    report = gate_page_with(built, carrier, text, where)
    # The name's own line of the deny-list ("Jane Oakwood" may be found as "Oakwood").
    lines = {NAMES[name], OAKWOOD} if "Oakwood" in name else {NAMES[name]}
    assert any(deny_findings(report, line) for line in lines), (name, text, report.findings)
    assert {f.path for f in report.findings} == {carrier}


@settings(deadline=None, max_examples=150)
@given(carrier=CARRIER, name_and_text=_names(in_an_href), where=WHERE)
@example(
    carrier="index.html", name_and_text=("Oakwood", '<a href="../people/Oak%77ood/">a</a>'), where=0
)
def test_a_name_percent_encoded_in_a_link_anywhere_in_a_real_page_is_found(
    built: Carriers,
    carrier: str,
    name_and_text: tuple[str, str],
    where: int,
) -> None:
    name, text = name_and_text
    assert deny_findings(gate_page_with(built, carrier, text, where)), (name, text)


@settings(deadline=None, max_examples=150)
@given(carrier=CARRIER, name_and_text=_near_misses(disguised), where=WHERE)
def test_the_same_page_with_a_name_that_is_not_on_the_list_has_no_finding(
    built: Carriers,
    carrier: str,
    name_and_text: tuple[str, str],
    where: int,
) -> None:
    # The control: the same pages and the same disguises, another name.
    assert gate_page_with(built, carrier, name_and_text[1], where).findings == []


# -- what one build's gate found clean, carried to the next (qualsite serve) ----------


def _search_index(captions: list[str], texts: list[str]) -> bytes:
    docs = [
        {
            "location": f"categories/c/#excerpt-{n}",
            "title": f'<span class="qs-search-caption" data-qs-caption="{caption}"></span>',
            "text": f"<p>{text}</p>",
        }
        for n, (caption, text) in enumerate(zip(captions, texts, strict=True))
    ]
    return json.dumps({"config": {}, "docs": docs}).encode()


def test_units_found_clean_are_not_read_again_and_a_new_one_is(
    policy: GatePolicy, tmp_path: Path
) -> None:
    from qualsite.guard.gate import CleanUnits, gate_paths

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    index = site / "search/search_index.json"
    index.write_bytes(_search_index(["P1", "P2"], ["We met weekly.", "Supervision helps."]))
    first = CleanUnits()
    assert gate_paths(site, ["search/search_index.json"], policy, first).findings == []
    assert first.met  # what it read, all clean

    # The next build: the same entries, and one with a name in its text,
    # another with a phone number in its caption.
    index.write_bytes(
        _search_index(
            ["P1", "P2", "P3", "Call 07700 900123"],
            ["We met weekly.", "Supervision helps.", "Back at Oakwood.", "New."],
        )
    )
    read: list[str] = []
    import qualsite.guard.gate as gate_module

    unchecked = gate_module._Gate._unchecked

    def recording(gate: object, view: Any, scoped: frozenset[str]) -> Any:
        for text in unchecked(gate, view, scoped):  # type: ignore[arg-type]
            if view.units:  # (the index's data is read whole for names, every time)
                read.append(text)
            yield text

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate_module._Gate, "_unchecked", recording)
        second = CleanUnits(known=first.met)
        report = gate_paths(site, ["search/search_index.json"], policy, second)
    found = describe(report)
    assert "an identifier from the deny-list" in found and "looks like a phone number" in found
    assert_no_identifier(found)
    assert not any("Supervision helps." in text for text in read)  # known clean: not read
    assert any("Back at Oakwood." in text for text in read)


def test_units_no_longer_in_the_site_are_not_carried_on(policy: GatePolicy, tmp_path: Path) -> None:
    from qualsite.guard.gate import CleanUnits, gate_paths

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    index = site / "search/search_index.json"
    index.write_bytes(_search_index(["P1", "P2"], ["We met weekly.", "An old sentence."]))
    first = CleanUnits()
    gate_paths(site, ["search/search_index.json"], policy, first)
    index.write_bytes(_search_index(["P1", "P2"], ["We met weekly.", "A new sentence."]))
    second = CleanUnits(known=first.met)
    gate_paths(site, ["search/search_index.json"], policy, second)

    def met(units: CleanUnits) -> set[int]:
        return set().union(*(h for file in units.met.values() for h in file.values()))

    assert hash("We met weekly.") in met(second) and hash("A new sentence.") in met(second)
    assert hash("An old sentence.") in met(first)
    assert hash("An old sentence.") not in met(second)  # saved over: not kept for ever

"""Nothing that identifies a participant reaches any output file.

A canary study holds unique marker strings where nothing may leak from: the
words of a withdrawn participant, an unpublished excerpt, a deny-listed name
(in an excerpt, a category definition and a page) and one of each kind of
personal data. The tests prove that the build stops on each, at the right
place, without echoing what it found; and that once they are removed the
site builds and no file of it, of any kind, holds a marker.
"""

from __future__ import annotations

import gzip
import textwrap
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from helpers import build_site, main_text, write_study
from qualsite.guard.approval import approval_keys
from qualsite.guard.normalise import fold_for_patterns
from qualsite.guard.patterns import PATTERN_KINDS, find_patterns

WITHDRAWN = "Canarywithdrawn7q"
UNPUBLISHED = "Canaryunpublished4z"
DENIED = "Bartholomew Quince"

PATTERNS = {
    "email": "write to b.quince@example.org today",
    "phone": "ring me on 01603 456789 after six",
    "postcode": "we moved to NR4 7TJ last year",
    "nhs-number": "my number is 943 476 5919 apparently",
    "date": "I was born on 12/03/1985 in the winter",
    "url": "see https://example.org/quince for it",
}
#: The part of each sample that must never appear in a message.
SECRETS = {
    "email": "b.quince@example.org",
    "phone": "456789",
    "postcode": "NR4 7TJ",
    "nhs-number": "476 5919",
    "date": "12/03/1985",
    "url": "example.org/quince",
}

MKDOCS = """\
site_name: Canary study
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - qualsite:
      deny_list: ../deny-list.txt
      participant_pages: true
      cache_dir: ""
"""


def canary_study(root: Path, *, leaks: bool = True) -> Path:
    """The study at ``root / 'study'``, the deny-list beside it (outside)."""
    (root / "deny-list.txt").write_text(
        "# Real names and places: never published\n\nSomeone Else\n" + DENIED + "\n",
        encoding="utf-8",
    )
    pattern_excerpts = "".join(
        f"""
  - id: pattern-{name}
    categories: [supervision]
    text: {text}
"""
        for name, text in PATTERNS.items()
    )
    definition = f"Turning to colleagues such as {DENIED}." if leaks else "Turning to colleagues."
    excerpt = f"I told {DENIED.upper()} about it." if leaks else "I told [name] about it."
    page = f"# Home\n\nThanks to\n{DENIED.lower()} for help.\n" if leaks else "# Home\n\nHello.\n"
    base_excerpts = textwrap.dedent(f"""\
        participant: P1
        excerpts:
          - id: p1-peers
            categories: [peer-support]
            text: {excerpt}
          - id: p1-held-back
            categories: [peer-support]
            publish: false
            text: Never show this {UNPUBLISHED} sentence.
        """)
    return write_study(
        root / "study",
        {
            "mkdocs.yml": MKDOCS,
            "codebook/participants.yml": """\
                participants:
                  - {id: P1, label: Participant 1}
                  - {id: P2, label: Participant 2}
                  - {id: P3, label: Participant 3, withdrawn: true}
                """,
            "codebook/categories.yml": f"""\
                categories:
                  - {{id: coping, name: Coping, definition: How people cope.}}
                  - id: peer-support
                    parent: coping
                    name: Peer support
                    definition: {definition}
                  - {{id: supervision, name: Supervision, parent: coping}}
                """,
            "codebook/excerpts/p1.yml": base_excerpts + (pattern_excerpts if leaks else ""),
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - {id: p2-sup, categories: [supervision], text: Supervision helps.}
                """,
            "codebook/excerpts/p3.yml": f"""\
                participant: P3
                excerpts:
                  - id: p3-words
                    categories: [peer-support, supervision]
                    illustrates: [peer-support]
                    text: The withdrawn participant said {WITHDRAWN} here.
                """,
            "codebook/tables.yml": """\
                tables:
                  - {number: 1, title: Coping, subtree: coping,
                     columns: [category, excerpt, participants, excerpts]}
                """,
            "codebook/model.yml": """\
                title: Model
                nodes: [{category: peer-support}, {category: supervision}]
                edges: [{from: peer-support, to: supervision}]
                """,
            "content/index.md": page,
        },
    )


@pytest.fixture(autouse=True)
def _own_deny_list(monkeypatch: pytest.MonkeyPatch) -> None:
    # The canary study names its own deny-list in mkdocs.yml; the suite's
    # variable would win over it.
    monkeypatch.delenv("QUALSITE_DENY_LIST", raising=False)


def build_problems(root: Path, caplog: pytest.LogCaptureFixture, **overrides: object) -> str:
    with pytest.raises(Abort):
        build_site(root, **overrides)
    return caplog.text


def test_deny_list_hits_stop_the_build_at_each_place_without_echoing_the_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = canary_study(tmp_path)
    site = root / "site"
    site.mkdir()
    (site / "kept.html").write_text("last good build")
    log = build_problems(root, caplog)
    deny = (tmp_path / "deny-list.txt").as_posix()
    assert (
        "codebook/excerpts/p1.yml:5: an excerpt's text holds an identifier from "
        f"the deny-list (line 4 of {deny})"
    ) in log
    assert (
        "codebook/categories.yml:6: a category's definition holds an "
        f"identifier from the deny-list (line 4 of {deny})"
    ) in log
    assert (
        f"content/index.md:4: the page holds an identifier from the deny-list (line 4 of {deny})"
        in log
    )
    assert "Quince" not in log and "quince" not in log.lower().replace("b.quince", "")
    assert (site / "kept.html").is_file()  # nothing was written


@pytest.mark.parametrize("kind", sorted(PATTERNS))
def test_each_pattern_is_found_where_it_is(
    kind: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = canary_study(tmp_path)
    log = build_problems(root, caplog)
    # Each pattern excerpt is four lines long, after the first two excerpts.
    expected_line = 13 + 4 * list(PATTERNS).index(kind)
    description = next(p.description for p in PATTERN_KINDS if p.name == kind)
    assert (
        f"codebook/excerpts/p1.yml:{expected_line}: an excerpt's text holds "
        f"what looks like {description}"
    ) in log
    assert SECRETS[kind] not in log  # the finding itself is never printed


def test_patterns_are_warnings_when_not_strict_and_errors_when_strict(tmp_path: Path) -> None:
    from qualsite.errors import Severity, StudyError
    from qualsite.site import SiteSettings, prepare_site

    root = canary_study(tmp_path, leaks=False)
    (root / "codebook/excerpts/p2.yml").write_text(
        "participant: P2\nexcerpts:\n  - {id: p2-sup, categories: [supervision], "
        "text: call 07700 900123 now}\n"
    )
    folders = (root / "codebook", root / "site_templates", root / "content")
    site = prepare_site(SiteSettings(*folders))
    assert [w.severity for w in site.warnings] == [Severity.WARNING]
    assert "looks like a phone number" in site.warnings[0].message
    with pytest.raises(StudyError, match="looks like a phone number"):
        prepare_site(SiteSettings(*folders, strict=True))


def test_a_checked_false_positive_can_be_allowed(tmp_path: Path) -> None:
    from qualsite.site import SiteSettings, prepare_site

    root = canary_study(tmp_path, leaks=False)
    (root / "codebook/excerpts/p2.yml").write_text(
        "participant: P2\nexcerpts:\n  - id: p2-sup\n    categories: [supervision]\n"
        "    allow: [url]\n    text: the guidance at https://www.nice.org.uk helped\n"
    )
    settings = SiteSettings(
        root / "codebook",
        root / "site_templates",
        root / "content",
        strict=True,
        deny_list=tmp_path / "deny-list.txt",
    )
    assert prepare_site(settings).warnings == []


def test_once_fixed_no_output_file_holds_any_marker(tmp_path: Path) -> None:
    root = canary_study(tmp_path, leaks=False)
    site = build_site(root)
    markers = [WITHDRAWN, UNPUBLISHED, DENIED, "Quince", *PATTERNS.values()]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".html", ".json", ".xml", ".gz", ".csv", ".svg", ".js"}
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        lowered = data.lower()
        for marker in markers:
            assert marker.lower().encode() not in lowered, (marker, path)
    # ... and the withdrawn participant no longer counts.
    overview = main_text(site / "categories/index.html")
    assert "of 2 participants" in overview and "of 3 participants" not in overview
    assert not (site / "participants/p3").exists()
    assert "Participant 3" not in main_text(site / "participants/index.html")
    # The table's row for peer-support falls back to a published excerpt.
    assert "I told [name] about it." in main_text(site / "tables/index.html")


def test_redaction_markers_are_shown_as_redactions(tmp_path: Path) -> None:
    root = canary_study(tmp_path, leaks=False)
    site = build_site(root)
    html = (site / "categories/peer-support/index.html").read_text(encoding="utf-8")
    assert '<span class="qs-redaction" title="Removed to protect anonymity">[name]</span>' in html


def test_the_deny_list_is_required_to_exist_and_to_stay_unpublished(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = canary_study(tmp_path, leaks=False)
    (tmp_path / "deny-list.txt").unlink()
    log = build_problems(root, caplog)
    assert "deny-list.txt: the deny-list file does not exist" in log
    caplog.clear()
    (root / "content/deny.txt").write_text(DENIED + "\n")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("../deny-list.txt", "content/deny.txt"))
    log = build_problems(root, caplog)
    assert "content/deny.txt: the deny-list is inside the pages folder (docs_dir)" in log


def test_the_environment_variable_names_the_deny_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = canary_study(tmp_path, leaks=False)
    other = tmp_path / "other-list.txt"
    other.write_text("Hello\n")  # the home page says "Hello."
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(other))
    log = build_problems(root, caplog)
    expected = (
        "content/index.md:3: the page holds an identifier from the deny-list "
        f"(line 1 of {other.as_posix()})"
    )
    assert expected in log


# -- the pattern detectors ---------------------------------------------------------------


KNOWN_FINDINGS = [
    ("a.b-c+d@nhs.net", "email"),
    ("+44 7700 900123", "phone"),
    ("(01632) 960 001", "phone"),
    ("+1 415 555 2671", "phone"),
    ("SW1A 1AA", "postcode"),
    ("m1 1ae", "postcode"),
    ("4010232137", "nhs-number"),
    ("401 023 2137", "nhs-number"),
    ("12 March 1985", "date"),
    ("March 12th, 1985", "date"),
    ("1.2.85", "date"),
    # A date of birth in the languages qualsite writes, as each writes it.
    ("3. Mai 1961", "date"),
    ("3. MÄRZ 1961", "date"),
    ("1er février 1961", "date"),
    ("3 déc. 1961", "date"),
    ("3 de mayo de 1961", "date"),
    ("3 maart 1961", "date"),
    ("3 Sept 1961", "date"),
    ("3 fév. 1962", "date"),
    ("1º de mayo de 1963", "date"),
    ("3 de mayo del 1963", "date"),
    ("www.example.org/path", "url"),
]


@pytest.mark.parametrize(("text", "kind"), KNOWN_FINDINGS)
def test_each_kind_is_recognised(text: str, kind: str) -> None:
    assert [m.kind.name for m in find_patterns(f"said {text} then")] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "4010232138",  # fails the NHS modulus 11 check, and is no phone number
        "we saw 12 clients in 2019",
        "in March 2020 it changed",
        "im Mai 2020 begann es",
        "en mayo de 2020",
        "3 mais 1961",  # no month: Portuguese "but"
        # A sentence ending in a number, the next starting with a month: only
        # German writes a full stop after the day, and only with its months.
        "I stayed 3 years, maybe 4. March 2019 I left.",
        "J Health Psychol, 12. June 2020.",
        "a week or 2 ago, 2019 was different",
        "the ratio was 1:10",
        "I'm at it @ work",
        "a score of 14/20",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert list(find_patterns(text)) == []


_PIECES = ["0", "1", "4", "٣", " ", "-", "/", ".", "(", ")", "+44", "@", "a", "SE", "March", "1985"]
_PIECES += ["www.", "WWW.", "http://", "٣/٣/٣٣", *(text for text, _ in KNOWN_FINDINGS)]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
@example("on ٣/٣/٣٣ it began")  # digits of another script are digits too
@example("see WWW.EXAMPLE.ORG")  # web addresses in capitals
@example("mail A.B@NHS.NET")
@example("born 1.2.85")  # the fewest digits of each kind
@example("at GIR 0AA")
@example("ring +1 234567")
def test_the_quick_pass_over_plain_text_never_hides_a_finding(text: str) -> None:
    # find_patterns passes over text with no digit, "@" or web address at
    # once; every pattern, run in full, must agree that it holds nothing.
    in_full = any(
        kind.accept(match.group()) for kind in PATTERN_KINDS for match in kind.regex.finditer(text)
    )
    assert bool(list(find_patterns(text))) == in_full


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("12 March 2024", "2024-03-12"),
        ("12. März 2024", "2024-03-12"),
        ("12 mars 2024", "2024-03-12"),
        ("1er août 2024", "2024-08-01"),
        ("12 de marzo de 2024", "2024-03-12"),
        ("12 mrt 2024", "2024-03-12"),
    ],
)
def test_a_date_in_any_language_qualsite_writes_is_approved_by_its_day(
    written: str, day: str
) -> None:
    # An audit trail's decision of 2024-03-12, as a German site prints it,
    # is that day: the gate lets it through, as it does "12 March 2024".
    assert approval_keys(written) == {f"date:{day}"}


def test_a_date_with_its_accent_typed_apart_is_a_date() -> None:
    # "März" as macOS and PDFs give it: "a", then the combining diaeresis.
    folded = fold_for_patterns("Geboren am 3. Ma\u0308rz 1961.")
    assert [m.kind.name for m in find_patterns(folded)] == ["date"]

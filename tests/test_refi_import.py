"""REFI-QDA import: real exports from other tools (when the shared reference
folder is present) and projects built here, friendly and hostile."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from helpers import REPO, build_site, main_text, run_qualsite
from qualsite.refi import ImportError_, import_file
from qualsite.refi import archive as archive_module
from qualsite.refi.convert import IMPORTED_TITLE
from qualsite.study import load_study
from qualsite.study.model import Memo

SAMPLES = REPO.parent / "shared" / "reference" / "samples"
SCHEMAS = REPO.parent / "shared" / "reference" / "refi-qda"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason=f"the REFI-QDA samples are not here ({SAMPLES}); they are read from the shared reference",
)

NS = "urn:QDA-XML:project:1.0"
G = {  # GUIDs of the fixture project, by role
    "coping": "11111111-1111-1111-1111-111111111111",
    "peers": "22222222-2222-2222-2222-222222222222",
    "supervision": "33333333-3333-3333-3333-333333333333",
    "cafe": "44444444-4444-4444-4444-444444444444",
    "coping2": "55555555-5555-5555-5555-555555555555",
    "role": "66666666-6666-6666-6666-666666666666",
    "years": "77777777-7777-7777-7777-777777777777",
    "case-a": "88888888-8888-8888-8888-888888888888",
    "case-b": "99999999-9999-9999-9999-999999999999",
    "src1": "aaaaaaaa-0000-0000-0000-000000000001",
    "src2": "aaaaaaaa-0000-0000-0000-000000000002",
    "src3": "aaaaaaaa-0000-0000-0000-000000000003",
    "sel1": "bbbbbbbb-0000-0000-0000-000000000001",
    "sel2": "bbbbbbbb-0000-0000-0000-000000000002",
    "sel3": "bbbbbbbb-0000-0000-0000-000000000003",
    "sel4": "bbbbbbbb-0000-0000-0000-000000000004",
    "sel5": "bbbbbbbb-0000-0000-0000-000000000005",
    "note1": "cccccccc-0000-0000-0000-000000000001",
    "note2": "cccccccc-0000-0000-0000-000000000002",
}
# A real-looking name in the case, the sources' names and their file names:
# none of them may reach any file the import writes.
SECRET = "Alice Smithers"
SOURCE1 = "Start 🙂 then café: ünïcode 👩‍⚕️ boundary, and the rest.\r\nNext line."
SOURCE2 = "Supervision helped me. Another line."
SOURCE3 = "Nobody claims this source."
CUT1 = "café: ünïcode 👩‍⚕️"
START1 = SOURCE1.index(CUT1)
END1 = START1 + len(CUT1)  # code points, as the standard counts them


def selection(key: str, start: int, end: int, *codes: str, note: str | None = None) -> str:
    codings = "".join(
        f'<Coding guid="dddddddd-0000-0000-0000-0000000000{i:02d}"><CodeRef targetGUID="{c}"/></Coding>'
        for i, c in enumerate(codes)
    )
    note_ref = f'<NoteRef targetGUID="{note}"/>' if note else ""
    return (
        f'<PlainTextSelection guid="{G[key]}" startPosition="{start}" endPosition="{end}">'
        f"{codings}{note_ref}</PlainTextSelection>"
    )


def fixture_project(namespace: str = NS) -> str:
    unknown = "eeeeeeee-0000-0000-0000-000000000000"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{namespace}" name="Fixture study" origin="Test tool 1.0">
  <Users><User guid="ffffffff-0000-0000-0000-000000000001" name="{SECRET}"/></Users>
  <CodeBook><Codes>
    <Code guid="{G["coping"]}" name="Coping" isCodable="true" color="#3F51B5">
      <Description>How people cope.</Description>
      <NoteRef targetGUID="{G["note1"]}"/>
      <Code guid="{G["peers"]}" name="Peer support" isCodable="true"/>
      <Code guid="{G["supervision"]}" name="Supervision" isCodable="true"/>
    </Code>
    <Code guid="{G["cafe"]}" name="Café talk 😀" isCodable="true"/>
    <Code guid="{G["coping2"]}" name="Coping" isCodable="false"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{G["role"]}" name="Role" typeOfVariable="Text"/>
    <Variable guid="{G["years"]}" name="Years" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{G["case-a"]}" name="{SECRET}">
      <VariableValue><VariableRef targetGUID="{G["role"]}"/><TextValue>PWP</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{G["years"]}"/><IntegerValue>3</IntegerValue></VariableValue>
      <SourceRef targetGUID="{G["src1"]}"/>
    </Case>
    <Case guid="{G["case-b"]}" name="Bob Case"><SourceRef targetGUID="{G["src2"]}"/></Case>
  </Cases>
  <Sources>
    <TextSource guid="{G["src1"]}" name="{SECRET} interview.docx" plainTextPath="internal://{G["src1"]}.txt">
      {selection("sel1", START1, END1, G["peers"], G["cafe"], note=G["note2"])}
    </TextSource>
    <TextSource guid="{G["src2"]}" name="Bob.docx">
      <PlainTextContent>{SOURCE2}</PlainTextContent>
      {selection("sel2", 0, 22, G["supervision"])}
      {selection("sel3", 23, 36, unknown)}
      {selection("sel4", 30, 99, G["supervision"])}
    </TextSource>
    <TextSource guid="{G["src3"]}" name="{SECRET} notes.txt" plainTextPath="{SECRET} notes.txt">
      {selection("sel5", 0, 6, G["coping"])}
    </TextSource>
    <PictureSource guid="aaaaaaaa-0000-0000-0000-000000000009" path="internal://x.png">
      <PictureSelection guid="bbbbbbbb-0000-0000-0000-000000000009" firstX="0" firstY="0" secondX="5" secondY="5"/>
    </PictureSource>
  </Sources>
  <Notes>
    <Note guid="{G["note1"]}"><PlainTextContent>A memo on coping.</PlainTextContent></Note>
    <Note guid="{G["note2"]}"><PlainTextContent>A note on this selection.</PlainTextContent></Note>
  </Notes>
  <Links>
    <Link guid="abababab-0000-0000-0000-000000000001" name="leads to" originGUID="{G["coping"]}" targetGUID="{G["supervision"]}"/>
    <Link guid="abababab-0000-0000-0000-000000000002" name="about" originGUID="{G["coping"]}" targetGUID="{G["src1"]}"/>
  </Links>
  <Sets><Set guid="acacacac-0000-0000-0000-000000000001" name="Key codes"><MemberCode targetGUID="{G["peers"]}"/></Set></Sets>
</Project>
"""


def write_qdpx(path: Path, project: str | None, entries: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if project is not None:
            archive.writestr("project.qde", project.encode("utf-8"))
        for name, data in (entries or {}).items():
            archive.writestr(name, data)
    return path


def fixture_qdpx(tmp_path: Path) -> Path:
    return write_qdpx(
        tmp_path / "fixture.qdpx",
        fixture_project(),
        {
            f"sources/{G['src1']}.txt": SOURCE1.encode("utf-8"),
            f"Sources/{SECRET} notes.txt": SOURCE3.encode("utf-8"),
        },
    )


def read_yaml(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- a project built here ------------------------------------------------------------


def test_a_full_project_becomes_a_study(tmp_path: Path) -> None:
    study = tmp_path / "study"
    result = import_file(fixture_qdpx(tmp_path), study)
    codebook = study / "codebook"

    categories = read_yaml(codebook / "categories.yml")["categories"]
    assert [(c["id"], c["name"], c.get("parent")) for c in categories] == [
        ("coping", "Coping", None),
        ("peer-support", "Peer support", "coping"),
        ("supervision", "Supervision", "coping"),
        ("cafe-talk", "Café talk 😀", None),
        ("coping-2", "Coping", None),
    ]
    coping = categories[0]
    assert (coping["definition"], coping["memo"], coping["color"], coping["guid"]) == (
        "How people cope.",
        # Published on the category's page, so a person reads it first.
        [{"text": "A memo on coping.", "reviewed": False}],
        "#3f51b5",
        G["coping"],
    )

    participants = read_yaml(codebook / "participants.yml")["participants"]
    assert [(p["id"], p["label"]) for p in participants] == [
        ("P1", "Participant 1"),
        ("P2", "Participant 2"),
        ("P3", "Participant 3"),
    ]
    assert participants[0]["attributes"] == {"Role": "PWP", "Years": "3"}

    first = read_yaml(codebook / "excerpts/p01.yml")
    (excerpt,) = first["excerpts"]
    assert excerpt["text"] == CUT1  # emoji and accents around the boundaries kept whole
    assert excerpt["categories"] == ["peer-support", "cafe-talk"]
    assert excerpt["source"] == {"interview": "S1", "chars": f"{START1}-{END1}"}
    assert excerpt["reviewed"] is False and excerpt["memo"] == "A note on this selection."
    second = read_yaml(codebook / "excerpts/p02.yml")["excerpts"]
    assert [e["text"] for e in second] == ["Supervision helped me."]  # from inline text
    third = read_yaml(codebook / "excerpts/p03.yml")["excerpts"]
    assert [e["text"] for e in third] == ["Nobody"]  # a bare file name in Sources/

    model = read_yaml(codebook / "model.yml")
    assert model["edges"] == [{"from": "coping", "to": "supervision", "label": "leads to"}]
    assert read_yaml(codebook / ".refi-sets.yml")["sets"] == [
        {"name": "Key codes", "categories": ["peer-support"]}
    ]

    report = result.report
    assert (report.codes, report.cases, report.participants) == (5, 2, 3)
    assert (report.text_sources, report.selections, report.excerpts) == (3, 5, 3)
    assert report.skipped == {
        "selections on picture sources": 1,
        "selections outside their text": 1,
        "selections without a (known) code": 1,
        "links that do not join two codes": 1,
    }
    assert any("points at no code" in w for w in report.warnings)
    assert any("no case claims some of its selections" in w for w in report.warnings)
    # The study is strict (the mkdocs.yml the import writes says so), and
    # every imported excerpt waits for a person's review: qualsite check will
    # stop for exactly that, and nothing else.
    verdict = result.verdict
    assert verdict.strict and not verdict.passes
    folders = {p.location.path.rsplit("/", 2)[-2] for p in verdict.problems}
    assert folders == {"excerpts", "codebook"}  # the excerpts, and the memo in categories.yml
    assert all("not yet reviewed for anonymisation" in p.message for p in verdict.problems)


def test_nothing_that_names_a_person_or_a_file_is_written(tmp_path: Path) -> None:
    study = tmp_path / "study"
    result = import_file(fixture_qdpx(tmp_path), study)
    for path in result.files:
        text = path.read_text(encoding="utf-8")
        for secret in (SECRET, "Bob", "interview.docx", ".docx"):
            assert secret not in text, (secret, path)


def mark_reviewed(study: Path) -> None:
    """What a person does once they have read every imported text."""
    for path in (study / "codebook").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("reviewed: false", "reviewed: true"), encoding="utf-8")


def test_an_imported_study_publishes_only_once_reviewed_or_as_a_draft(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    study = tmp_path / "study"
    import_file(fixture_qdpx(tmp_path), study)
    with pytest.raises(Abort):
        build_site(study)  # --strict: nothing unreviewed is published
    assert (
        "codebook/excerpts/p01.yml:15: 1 excerpt in this file is not yet reviewed for "
        "anonymisation (reviewed: false)"
    ) in caplog.text
    assert "codebook/categories.yml:10: 1 memo in this file is not yet reviewed" in caplog.text
    # As a draft it builds, and every page says it is one.
    meta = study / "codebook/study.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "draft: true\n", encoding="utf-8")
    site = build_site(study)
    for page in site.rglob("*.html"):  # the 404 page too
        assert "This site is a draft, not yet published." in main_text(page), page
    assert "not yet reviewed for anonymisation" in main_text(site / "index.html")


def test_the_imported_study_builds_strictly_and_shows_its_excerpts(tmp_path: Path) -> None:
    study = tmp_path / "study"
    import_file(fixture_qdpx(tmp_path), study)
    mark_reviewed(study)
    site = build_site(study)
    assert CUT1 in main_text(site / "categories/peer-support/index.html")
    assert (
        "A note on this selection." not in (site / "categories/peer-support/index.html").read_text()
    )
    assert (site / "model/index.html").is_file()


def test_re_importing_gives_the_same_files(tmp_path: Path) -> None:
    source = fixture_qdpx(tmp_path)
    study = tmp_path / "study"
    import_file(source, study)
    before = {p: p.read_bytes() for p in (study / "codebook").rglob("*") if p.is_file()}
    import_file(source, study, force=True)
    after = {p: p.read_bytes() for p in (study / "codebook").rglob("*") if p.is_file()}
    assert after == before


def test_what_may_be_replaced_and_what_never_is(tmp_path: Path) -> None:
    source = fixture_qdpx(tmp_path)
    study = tmp_path / "study"
    dry = import_file(source, study, dry_run=True)
    assert dry.dry_run and dry.files and not study.exists()
    import_file(source, study)
    for dry_run in (False, True):  # a dry run does every check a real one does
        with pytest.raises(ImportError_, match=r"written by an earlier import; use --force"):
            import_file(source, study, dry_run=dry_run)

    categories = study / "codebook/categories.yml"
    kept = categories.read_text()
    categories.write_text("\n".join(kept.splitlines()[2:]) + "\n")  # its import header removed
    with pytest.raises(ImportError_, match=r"categories.yml was not written by an import"):
        import_file(source, study, force=True)
    categories.write_text(kept)

    (study / "codebook/excerpts/mine.yml").write_text("participant: P1\nexcerpts: []\n")
    with pytest.raises(ImportError_, match=r"mine.yml is an excerpt file .* no earlier import"):
        import_file(source, study, force=True)
    (study / "codebook/excerpts/mine.yml").unlink()

    earlier = study / "codebook/excerpts/p09.yml"
    earlier.write_text(
        (study / "codebook/excerpts/p03.yml")
        .read_text()
        .replace("participant: P3", "participant: P2")
        .replace("x-bbbbbbbb", "x-old")
    )
    first = study / "codebook/excerpts/p01.yml"
    first.write_text(first.read_text().replace("reviewed: false", "reviewed: true"))
    forced = import_file(source, study, force=True)
    assert forced.removed == [earlier]  # left by an earlier import: removed
    assert forced.reviewed_replaced == 1  # and the summary says review work was replaced
    load_study(study / "codebook")


def test_a_codebook_alone_gives_the_category_tree(tmp_path: Path) -> None:
    qdc = tmp_path / "codes.qdc"
    qdc.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Tool"><Codes>'
        f'<Code guid="{G["coping"]}" name="index" isCodable="true">'
        f'<Code guid="{G["peers"]}" name="Peers" isCodable="true"/></Code>'
        "</Codes><Sets/></CodeBook>"
    )
    study = tmp_path / "study"
    result = import_file(qdc, study)
    categories = read_yaml(study / "codebook/categories.yml")["categories"]
    assert [c["id"] for c in categories] == ["index-2", "peers"]  # "index" is reserved
    assert result.report.excerpts == 0
    build_site(study)


def test_the_guard_runs_on_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deny = tmp_path / "deny.txt"
    deny.write_text("ünïcode\n")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(deny))
    result = import_file(fixture_qdpx(tmp_path), tmp_path / "study", dry_run=True)
    (finding,) = [p for p in result.verdict.problems if "deny-list" in p.message]
    assert finding.location.path.endswith("study/codebook/excerpts/p01.yml")
    assert "holds an identifier from the deny-list (line 1" in finding.message


def test_the_command_prints_a_summary(tmp_path: Path) -> None:
    source = fixture_qdpx(tmp_path)
    result = run_qualsite("import", str(source), "--into", "study", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Wrote 15 files under study:" in out
    assert "5 codes -> 5 categories" in out
    assert "5 text selections -> 3 excerpts, each marked reviewed: false" in out
    assert "skipped: 1 selections on picture sources" in out
    assert "skipped: 0" not in out
    assert (
        "qualsite check (strict, as mkdocs.yml asks) will stop for 4 error(s); fix the errors:"
        in out
    )
    assert (
        (tmp_path / "study/codebook/IMPORT.md")
        .read_text()
        .startswith("# Imported by qualsite from ")
    )
    again = run_qualsite("import", str(source), "--into", "study", cwd=tmp_path)
    assert (
        again.returncode == 1 and "use --force" in again.stderr and "Traceback" not in again.stderr
    )


# -- hostile and broken files --------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"/etc/passwd": b"x"}, "of the archive points outside it"),
        ({"sources/../../escape.txt": b"x"}, "of the archive points outside it"),
        ({"C:/windows.txt": b"x"}, "of the archive points outside it"),
        ({"sources/bomb.txt": b"\0" * (4 * 1024 * 1024)}, "compressed more than 200 to 1"),
    ],
)
def test_hostile_archives_are_refused(
    tmp_path: Path, entries: dict[str, bytes], message: str
) -> None:
    source = write_qdpx(tmp_path / "hostile.qdpx", fixture_project(), entries)
    with pytest.raises(ImportError_, match=message):
        import_file(source, tmp_path / "study")
    assert not (tmp_path / "study").exists()


def test_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "MAX_ENTRIES", 3)
    source = write_qdpx(
        tmp_path / "many.qdpx", fixture_project(), {f"sources/{i}.txt": b"x" for i in range(5)}
    )
    with pytest.raises(ImportError_, match="the archive has 6 entries, more than 3"):
        import_file(source, tmp_path / "study")


def test_too_large_when_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive_module, "MAX_TOTAL_BYTES", 1000)
    source = write_qdpx(tmp_path / "big.qdpx", fixture_project())
    with pytest.raises(ImportError_, match="would unpack to more than"):
        import_file(source, tmp_path / "study")


def test_broken_files_get_plain_errors(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.qdpx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(ImportError_, match=r"not a readable .qdpx"):
        import_file(corrupt, tmp_path / "a")
    empty = write_qdpx(tmp_path / "empty.qdpx", None, {"readme.txt": b"hi"})
    with pytest.raises(ImportError_, match=r"holds no project.qde; it is not a REFI-QDA project"):
        import_file(empty, tmp_path / "b")
    foreign = write_qdpx(tmp_path / "foreign.qdpx", fixture_project("urn:example:other"))
    with pytest.raises(
        ImportError_, match=r"the root element is .*; a REFI-QDA project has Project"
    ):
        import_file(foreign, tmp_path / "c")
    entities = write_qdpx(
        tmp_path / "entities.qdpx",
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        f'<Project xmlns="{NS}" name="x">&b;</Project>',
    )
    with pytest.raises(ImportError_, match="the XML uses entities or external references"):
        import_file(entities, tmp_path / "d")
    unparsable = write_qdpx(tmp_path / "bad.qdpx", "<Project")
    with pytest.raises(ImportError_, match="not well-formed XML"):
        import_file(unparsable, tmp_path / "e")
    wrong = tmp_path / "notes.txt"
    wrong.write_text("x")
    expected = "expected a REFI-QDA project (.qdpx, or a .zip of one) or codebook (.qdc)"
    with pytest.raises(ImportError_, match=re.escape(expected)):
        import_file(wrong, tmp_path / "f")


def test_a_hostile_archive_through_the_command_is_a_message(tmp_path: Path) -> None:
    source = write_qdpx(tmp_path / "hostile.qdpx", fixture_project(), {"../up.txt": b"x"})
    result = run_qualsite("import", str(source), "--into", "study", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.startswith("qualsite: ")
        and "of the archive points outside it" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_strict_mode_needs_the_schemas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUALSITE_REFI_SCHEMAS", raising=False)
    with pytest.raises(ImportError_, match=r"--strict needs the REFI-QDA schema Project.xsd"):
        import_file(fixture_qdpx(tmp_path), tmp_path / "study", strict=True)


# -- real exports from other tools ----------------------------------------------------------


def codes_in(path: Path) -> int:
    if path.suffix == ".qdc":
        xml = path.read_text(encoding="utf-8")
    else:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("project.qde").decode("utf-8")
    return xml.count("<Code ")


@needs_samples
@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLES.glob("*.qd[pc]*")) if SAMPLES.is_dir() else []
)
def test_each_sample_imports_and_builds_strictly(tmp_path: Path, name: str) -> None:
    study = tmp_path / "study"
    result = import_file(SAMPLES / name, study)
    assert result.report.codes == codes_in(SAMPLES / name)
    built = load_study(study / "codebook")
    assert len(built.categories) == codes_in(SAMPLES / name)
    mark_reviewed(study)
    site = build_site(study)  # --strict
    assert (site / "categories/index.html").is_file()


@needs_samples
def test_qc_demo_excerpts_are_its_coded_selections_cut_at_their_positions(tmp_path: Path) -> None:
    study = tmp_path / "study"
    result = import_file(SAMPLES / "qc-demo.qdpx", study)
    with zipfile.ZipFile(SAMPLES / "qc-demo.qdpx") as archive:
        xml = archive.read("project.qde").decode("utf-8")
        board = archive.read("sources/board_2017.txt").decode("utf-8")
    coded = xml.count("<PlainTextSelection ")
    assert coded == 158
    assert result.report.excerpts == coded
    excerpts = load_study(study / "codebook").excerpts
    assert len(excerpts) == coded
    for excerpt in excerpts[:: len(excerpts) // 6]:
        assert excerpt.source is not None and excerpt.source.chars
        start, end = (int(n) for n in excerpt.source.chars.split("-"))
        assert " ".join(board[start:end].split()) == " ".join(excerpt.text.split())


@needs_samples
def test_strict_mode_reports_what_does_not_conform(tmp_path: Path) -> None:
    with pytest.raises(ImportError_) as raised:
        import_file(SAMPLES / "taguette-codebook.qdc", tmp_path / "s", strict=True, schemas=SCHEMAS)
    assert "/CodeBook/Sets: The content of element 'Sets' is not complete" in str(raised.value)
    assert not (tmp_path / "s").exists()
    # Leniently, the same file imports.
    import_file(SAMPLES / "taguette-codebook.qdc", tmp_path / "s")
    conforming = import_file(
        SAMPLES / "qc-demo.qdpx", tmp_path / "qc", strict=True, schemas=SCHEMAS
    )
    assert conforming.report.excerpts == 158


# -- regressions found in review ---------------------------------------------------


def mini(codes: str = "", sources: str = "", cases: str = "", rest: str = "", **attrs: str) -> str:
    """A small project; ``attrs`` become attributes of <Project>."""
    attributes = " ".join(f'{k}="{v}"' for k, v in {"name": "Mini", **attrs}.items())
    return (
        f'<Project xmlns="{NS}" {attributes}><CodeBook><Codes>{codes}</Codes></CodeBook>'
        f"{cases}<Sources>{sources}</Sources>{rest}</Project>"
    )


def code(guid: str, name: str, inner: str = "") -> str:
    return f'<Code guid="{guid}" name="{name}" isCodable="true">{inner}</Code>'


def text_source(guid: str, text: str, selections: str) -> str:
    return f'<TextSource guid="{guid}"><PlainTextContent>{text}</PlainTextContent>{selections}</TextSource>'


def test_names_from_the_file_cannot_inject_html_into_the_site(tmp_path: Path) -> None:
    project = mini(
        code(G["coping"], "Coping"),
        text_source(G["src1"], "Hello world", selection("sel1", 0, 5, G["coping"])),
        name="&lt;script&gt;alert(2)&lt;/script&gt; x&quot; onmouseover=&quot;alert(3)",
        origin="&lt;img src=x onerror=alert(1)&gt;",
    )
    study = tmp_path / "study"
    import_file(write_qdpx(tmp_path / "evil.qdpx", project), study)
    mark_reviewed(study)
    site = build_site(study)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert 'onmouseover="alert' not in html, page
    assert "site_name: Imported study" in (study / "mkdocs.yml").read_text()


def test_control_characters_and_newlines_from_the_file_are_cleaned(tmp_path: Path) -> None:
    project = mini(
        # XML allows DEL and the C1 controls (not the C0 ones, refused by the parser).
        code(G["coping"], "Co&#x7f;ping&#x9;x", "<Description>bell&#x9f;here</Description>"),
        text_source(G["src1"], "Hello world", selection("sel1", 0, 5, G["coping"])),
        origin="Tool&#10;title: injected",
    )
    study = tmp_path / "study"
    import_file(write_qdpx(tmp_path / "c.qdpx", project), study)
    built = load_study(study / "codebook")
    # The title is not the project's (a person gives it one), and the
    # origin's line break did not escape the files' header comment.
    assert built.meta.title == IMPORTED_TITLE
    lines = (study / "codebook/study.yml").read_text().splitlines()
    assert not any(line.startswith("title: injected") for line in lines)
    assert built.category("co-ping-x").definition == "bell here"


def test_codes_without_or_with_repeated_guids_are_warned_about(tmp_path: Path) -> None:
    project = mini(
        code(G["coping"], "A") + code(G["coping"], "B") + '<Code name="C" isCodable="true"/>',
        text_source(G["src1"], "Hello world", selection("sel1", 0, 5, G["coping"])),
    )
    study = tmp_path / "study"
    result = import_file(write_qdpx(tmp_path / "g.qdpx", project), study)
    assert [c.id for c in load_study(study / "codebook").categories] == ["a", "b", "c"]
    assert {w.split(";")[0] for w in result.report.warnings} == {
        "two codes share a GUID",
        "a code has no GUID",
    }
    excerpt = load_study(study / "codebook").excerpts[0]
    assert excerpt.category_ids == ("a",)


def test_codes_nested_too_deeply_are_refused_plainly(tmp_path: Path) -> None:
    nested = ""
    for level in range(2000):
        nested = f'<Code guid="{level:08d}-0000-0000-0000-000000000000" name="c{level}" isCodable="true">{nested}</Code>'
    with pytest.raises(ImportError_, match="codes are nested more than 50 levels deep"):
        import_file(write_qdpx(tmp_path / "deep.qdpx", mini(nested)), tmp_path / "study")


def test_cases_selections_variables_sets_and_links(tmp_path: Path) -> None:
    v1, v2, v3 = (f"{n}0000000-0000-0000-0000-000000000000" for n in (1, 2, 3))
    cases = (
        f'<Variables><Variable guid="{v1}" name="Role" typeOfVariable="Text"/>'
        f'<Variable guid="{v2}" name="Role" typeOfVariable="Text"/>'
        f'<Variable guid="{v3}" name="" typeOfVariable="Text"/></Variables>'
        "<Cases>"
        f'<Case guid="{G["case-a"]}"><VariableValue><VariableRef targetGUID="{v1}"/><TextValue>PWP</TextValue></VariableValue>'
        f'<VariableValue><VariableRef targetGUID="{v2}"/><TextValue>Lead</TextValue></VariableValue>'
        f'<VariableValue><VariableRef targetGUID="{v3}"/><TextValue>x</TextValue></VariableValue>'
        f'<SelectionRef targetGUID="{G["sel1"]}"/></Case>'
        f'<Case guid="{G["case-b"]}"><SelectionRef targetGUID="{G["sel1"]}"/><SelectionRef targetGUID="{G["sel2"]}"/></Case>'
        '<Case guid="aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"/>'
        "</Cases>"
    )
    source = (
        f'<TextSource guid="{G["src1"]}"><PlainTextContent>one two three four</PlainTextContent>'
        + selection("sel1", 0, 3, G["coping"])
        + selection("sel2", 4, 7, G["coping"])
        + selection("sel3", 8, 13, G["coping"])
        + selection("sel4", 3, 3, G["coping"])
        + f'<Coding guid="dddddddd-0000-0000-0000-000000000099"><CodeRef targetGUID="{G["coping"]}"/></Coding>'
        + "</TextSource>"
    )
    rest = (
        "<Links>"
        f'<Link guid="abababab-0000-0000-0000-000000000001" name="both" direction="Bidirectional" originGUID="{G["coping"]}" targetGUID="{G["peers"]}"/>'
        f'<Link guid="abababab-0000-0000-0000-000000000002" name="near" direction="Associative" originGUID="{G["peers"]}" targetGUID="{G["coping"]}"/>'
        "</Links>"
        f'<Sets><Set guid="acacacac-0000-0000-0000-000000000001" name="Sources only"><MemberSource targetGUID="{G["src1"]}"/></Set></Sets>'
    )
    project = mini(code(G["coping"], "Coping") + code(G["peers"], "Peers"), source, cases, rest)
    study = tmp_path / "study"
    result = import_file(write_qdpx(tmp_path / "m.qdpx", project), study)
    participants = read_yaml(study / "codebook/participants.yml")["participants"]
    assert participants[0]["attributes"] == {"Role": "PWP", "Role (2)": "Lead", "variable": "x"}
    by_participant = {
        p: [
            e["text"]
            for e in read_yaml(study / f"codebook/excerpts/p{p[1:].zfill(2)}.yml")["excerpts"]
        ]
        for p in ("P1", "P2", "P3")
    }
    assert by_participant == {"P1": ["one"], "P2": ["two"], "P3": ["three"]}
    report = result.report
    assert report.skipped["cases that refer to no source or selection"] == 1
    assert report.skipped["empty selections"] == 1
    assert report.skipped["codings of a whole source (no text to cut)"] == 1
    assert "a selection belongs to more than one case; the first case has it" in report.warnings
    model = read_yaml(study / "codebook/model.yml")
    assert [(e["from"], e["to"], e.get("style")) for e in model["edges"]] == [
        ("coping", "peers", None),
        ("peers", "coping", None),
        ("peers", "coping", "dotted"),
    ]
    assert read_yaml(study / "codebook/.refi-sets.yml")["sets"] == [
        {"name": "Sources only", "categories": [], "sources": ["S1"]}
    ]


def test_notes_kept_in_files_bom_and_inline_positions(tmp_path: Path) -> None:
    text = "\ufeffAbc déf"  # the BOM is no character of the text
    note = "cccccccc-0000-0000-0000-000000000009"
    project = mini(
        code(G["coping"], "Coping", f'<NoteRef targetGUID="{note}"/>'),
        f'<TextSource guid="{G["src1"]}" plainTextPath="internal://t.txt">'
        + selection("sel1", 4, 7, G["coping"])
        + "</TextSource>",
        rest=f'<Notes><Note guid="{note}" plainTextPath="internal://n.txt"/></Notes>',
    )
    source = write_qdpx(
        tmp_path / "n.qdpx",
        project,
        {"sources/t.txt": text.encode("utf-8"), "sources/n.txt": b"A memo in a file."},
    )
    study = tmp_path / "study"
    import_file(source, study)
    built = load_study(study / "codebook")
    assert built.excerpts[0].text == "déf"
    assert built.category("coping").memos == (Memo("A memo in a file.", reviewed=False),)


def test_damaged_or_odd_archives_are_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = fixture_qdpx(tmp_path)
    damaged = tmp_path / "damaged.qdpx"
    with zipfile.ZipFile(damaged, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("project.qde", fixture_project())
        archive.writestr(f"sources/{G['src1']}.txt", SOURCE1)
    data = damaged.read_bytes()
    at = data.index(SOURCE1.encode("utf-8")[:10])  # stored: the text is there as is
    damaged.write_bytes(data[:at] + b"X" * 10 + data[at + 10 :])  # its CRC no longer matches
    # A damaged source is one source lost, not the import: its selections
    # are a counted skip, and the message names no entry (a source file is
    # often named after the person interviewed).
    result = import_file(damaged, tmp_path / "a")
    # S1's damaged text, and S3's, which this archive does not hold.
    assert result.report.skipped["selections in unreadable sources"] == 2
    assert any("S1: its text file in the archive is damaged" in w for w in result.report.warnings)

    backslash = write_qdpx(tmp_path / "bs.qdpx", fixture_project(), {"..\\\\evil.txt": b"x"})
    with pytest.raises(ImportError_, match="entry 2 of the archive points outside it"):
        import_file(backslash, tmp_path / "b")
    two = write_qdpx(tmp_path / "two.qdpx", None, {"a.qde": b"<x/>", "b.qde": b"<x/>"})
    with pytest.raises(ImportError_, match=r"holds no project.qde \(and several .qde files\)"):
        import_file(two, tmp_path / "c")
    atlas_style = write_qdpx(
        tmp_path / "atlas.qdpx", None, {"My project.qde": fixture_project().encode()}
    )
    import_file(atlas_style, tmp_path / "d")  # ATLAS.ti names the XML after the project
    monkeypatch.setattr(archive_module, "MAX_XML_BYTES", 100)
    with pytest.raises(ImportError_, match="is larger than"):
        import_file(good, tmp_path / "e")


def test_a_broken_schema_file_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "xsd").mkdir()
    (tmp_path / "xsd/Project.xsd").write_text("<not a schema")
    with pytest.raises(ImportError_, match="cannot read this XML Schema"):
        import_file(fixture_qdpx(tmp_path), tmp_path / "s", strict=True, schemas=tmp_path / "xsd")


def test_the_loader_refuses_a_category_tree_too_deep_to_draw(tmp_path: Path) -> None:
    from helpers import write_study

    chain = "categories:\n  - {id: c0, name: C0}\n" + "".join(
        f"  - {{id: c{n}, name: C{n}, parent: c{n - 1}}}\n" for n in range(1, 60)
    )
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": chain,
            "codebook/excerpts/p1.yml": None,
            "codebook/excerpts/p2.yml": None,
            "content/index.md": "# Home\n",
        },
    )
    from qualsite.errors import StudyError

    with pytest.raises(StudyError, match="the category tree is more than 50 levels deep"):
        load_study(tmp_path / "codebook")


@needs_samples
def test_the_atlas_ti_sample_imports_its_codes_and_names_no_user(tmp_path: Path) -> None:
    # ATLAS.ti 23's export: codes only, GUIDs in capitals, two named users.
    study = tmp_path / "study"
    result = import_file(SAMPLES / "atlas-small.qdpx", study)
    categories = read_yaml(study / "codebook/categories.yml")["categories"]
    assert categories[0]["name"] == "Commits" and len(categories) == 3
    assert {c.get("parent") for c in categories[1:]} == {categories[0]["id"]}
    assert any("2 user(s) are named" in check for check in result.report.checks)
    written = "".join(p.read_text(encoding="utf-8") for p in study.rglob("*") if p.is_file())
    assert "Llagostera" not in written
    assert "no cases, and no coded text -> no participants" in result.report.lines()[2]

"""Imported excerpts hold exactly the words that were coded, whichever tool
wrote the project (issue #13).

Each test builds a REFI-QDA project in the shape one tool writes: its text
with emoji (beyond U+FFFF) and Windows line breaks, and its selections'
positions counted as that tool counts them. Every imported excerpt is then
compared with the words that were selected.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from helpers import REPO, run_qualsite
from qualsite.refi import ImportError_, import_file
from qualsite.refi.positions import (
    CODE_POINTS,
    CRLF_AS_ONE,
    UTF16,
    Counting,
    LineBreaks,
    Positions,
    Selected,
    choose,
    good_end,
    good_start,
    inside_word,
    tool_counting,
)

NS = "urn:QDA-XML:project:1.0"
CODE = "11111111-1111-1111-1111-111111111111"
SOURCE = "aaaaaaaa-0000-0000-0000-000000000001"

#: An interview as an NVivo user in Hungary might have it: accents, emoji
#: before most selections, Windows line breaks.
TEXT = (
    "Kérdező: Hogy bírod a munkát? 🙂\r\n"
    "Válaszadó: Nehéz, de a csapat 💪 sokat segít. Minden héten 😅 beszélünk.\r\n"
    "A szupervízió 🧠 is számít, főleg ha 👩‍⚕️ kolléga is ott van.\r\n"
    "Néha hazaviszem a munkát 😞, és az nem jó.\r\n"
    "Megtanultam nemet mondani 🙅 a túlórára.\r\n"
)
#: The words that were coded: each a run of whole words.
CODED = [
    "Hogy bírod a munkát?",
    "a csapat 💪 sokat segít",
    "Minden héten 😅 beszélünk.",
    "A szupervízió 🧠 is számít",
    "ha 👩‍⚕️ kolléga is ott van.",
    "hazaviszem a munkát 😞, és az nem jó",
    "Megtanultam nemet mondani 🙅 a túlórára.",
]


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def crlf_as_one(text: str, index: int) -> int:
    return index - text[:index].count("\r\n")


def utf16_crlf_as_one(text: str, index: int) -> int:
    return utf16(text, index) - text[:index].count("\r\n")


COUNTED_AS: dict[str, Callable[[str, int], int]] = {
    "code points": lambda text, index: index,
    "UTF-16": utf16,
    "CR LF as one": crlf_as_one,
    "UTF-16, CR LF as one": utf16_crlf_as_one,
}


def project(origin: str, count: Callable[[str, int], int], coded: list[str] = CODED) -> str:
    selections = []
    for number, words in enumerate(coded, start=1):
        start = TEXT.index(words)
        end = start + len(words)
        selections.append(
            f'<PlainTextSelection guid="bbbbbbbb-0000-0000-0000-{number:012d}" '
            f'startPosition="{count(TEXT, start)}" endPosition="{count(TEXT, end)}">'
            f'<Coding guid="dddddddd-0000-0000-0000-{number:012d}"><CodeRef targetGUID="{CODE}"/>'
            "</Coding></PlainTextSelection>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="Interjúk" '
        f'origin="{origin}"><CodeBook><Codes><Code guid="{CODE}" name="Coping" '
        'isCodable="true"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{SOURCE}" name="Interjú 1" plainTextPath="internal://{SOURCE}.txt">'
        f"{''.join(selections)}</TextSource></Sources></Project>"
    )


def qdpx(path: Path, xml: str, text: str = TEXT, sources_folder: str = "sources") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        archive.writestr(f"{sources_folder}/{SOURCE}.txt", text.encode("utf-8"))
    return path


def imported_texts(study: Path) -> list[str]:
    excerpts = []
    for path in sorted((study / "codebook/excerpts").glob("*.yml")):
        excerpts += yaml.safe_load(path.read_text(encoding="utf-8"))["excerpts"]
    return [excerpt["text"] for excerpt in excerpts]


# -- each tool's way of counting -------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "counted_as", "counting"),
    [
        ("NVivo 12.6.0.959 (Windows)", "UTF-16", UTF16),
        ("NVivo 12.7.0 (Mac)", "UTF-16", UTF16),
        ("ATLAS.ti for Windows 23.2.3.27778", "CR LF as one", CRLF_AS_ONE),
        ("QualCoder 3.5", "code points", CODE_POINTS),
        ("MAXQDA 2022 (Release 22.7.0)", "code points", CODE_POINTS),
    ],
)
def test_every_excerpt_holds_the_coded_words_as_each_tool_counts(
    tmp_path: Path, origin: str, counted_as: str, counting: Counting
) -> None:
    study = tmp_path / "study"
    result = import_file(qdpx(tmp_path / "p.qdpx", project(origin, COUNTED_AS[counted_as])), study)
    assert imported_texts(study) == CODED
    (source,) = result.report.sources
    assert source.choice.counting == counting and source.choice.expected == counting
    assert (source.choice.fitted, source.choice.total) == (len(CODED), len(CODED))
    assert (source.inside_words, source.uncertain) == ([], [])


@pytest.mark.parametrize("counted_as", ["code points", "UTF-16", "CR LF as one"])
def test_positions_that_contradict_the_tools_counting_are_read_as_they_fit(
    tmp_path: Path, counted_as: str
) -> None:
    # An export from an NVivo that counted otherwise (or a file edited after
    # export): the reading that fits is used, and the report says so.
    study = tmp_path / "study"
    xml = project("NVivo 14.23.0 (Windows)", COUNTED_AS[counted_as])
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    assert imported_texts(study) == CODED
    (source,) = result.report.sources
    if counted_as == "UTF-16":
        assert "not as" not in source.line()
    else:
        assert source.choice.counting != UTF16
        assert source.choice.expected_fitted < source.choice.fitted == len(CODED)
        assert "not as the exporting tool's UTF-16 code units" in source.line()


def test_an_excerpt_cut_inside_a_word_is_imported_and_named(tmp_path: Path) -> None:
    # "ögy bírod": a selection that starts inside "Hogy" under every reading.
    study = tmp_path / "study"
    xml = project("QualCoder 3.5", COUNTED_AS["code points"], [*CODED, "ogy bírod"])
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    texts = imported_texts(study)
    assert texts[:-1] == CODED and texts[-1] == "ogy bírod"
    (source,) = result.report.sources
    (named,) = source.inside_words
    warning = next(line for line in result.report.lines() if "inside a word" in line)
    assert f"S1: 1 excerpt(s) ({named}) start or end inside a word as read" in warning
    excerpts = yaml.safe_load((study / "codebook/excerpts/p01.yml").read_text(encoding="utf-8"))
    assert excerpts["excerpts"][-1]["id"] == named


def test_a_text_without_emoji_or_line_breaks_reads_alike_every_way() -> None:
    plain = Positions("Hello there. General Kenobi.")
    assert plain.countings() == [CODE_POINTS]
    for utf16 in (False, True):
        for lines in LineBreaks:
            assert plain.index(6, Counting(utf16, lines)) == 6


def test_a_position_inside_a_character_is_no_position() -> None:
    positions = Positions("a😀b")
    assert positions.index(1, UTF16) == 1
    assert positions.index(2, UTF16) is None  # between the two halves of 😀
    assert positions.index(3, UTF16) == 2
    assert positions.index(4, UTF16) == 3
    assert positions.index(5, UTF16) is None  # past the end


def test_crlf_counted_once_maps_back_to_the_text() -> None:
    text = "one\r\ntwo\r\nthree"
    positions = Positions(text)
    for index in range(len(text) + 1):
        if index and text[index - 1] == "\r":
            continue  # no way of counting points between CR and LF
        assert positions.index(crlf_as_one(text, index), CRLF_AS_ONE) == index
        counted = utf16_crlf_as_one(text, index)
        assert positions.index(counted, Counting(True, LineBreaks.CRLF_AS_ONE)) == index


def test_every_index_of_the_interview_maps_back_under_every_counting() -> None:
    positions = Positions(TEXT)
    for name, count in COUNTED_AS.items():
        counting = {
            "code points": CODE_POINTS,
            "UTF-16": UTF16,
            "CR LF as one": CRLF_AS_ONE,
            "UTF-16, CR LF as one": Counting(True, LineBreaks.CRLF_AS_ONE),
        }[name]
        for index in range(len(TEXT) + 1):
            if index and TEXT[index - 1] == "\r" and "CR LF" in name:
                continue
            assert positions.index(count(TEXT, index), counting) == index, (name, index)


#: A text where code points and UTF-16 code units differ by one after the
#: emoji: a selection cut at whole words in one counting starts on a space
#: and ends inside a word in the other.
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split()  # noqa: SIM905
SPACED = "🙂 " + " ".join(WORDS)


def word_at(number: int, in_units: bool, named: bool = False) -> Selected:
    start = SPACED.index(WORDS[number])
    end = start + len(WORDS[number])
    shift = 1 if in_units else 0  # the emoji is two UTF-16 code units
    return Selected(start + shift, end + shift, WORDS[number] if named else None)


def selections(in_units: int, in_points: int, named: bool = False) -> list[Selected]:
    return [word_at(n, True, named) for n in range(in_units)] + [
        word_at(n, False, named) for n in range(in_units, in_units + in_points)
    ]


def test_the_selections_fit_only_the_counting_they_were_made_in() -> None:
    positions = Positions(SPACED)
    for number in range(len(WORDS) - 1):  # the last, shifted, would end past the text
        in_units = word_at(number, in_units=True)
        first = positions.index(in_units.start, CODE_POINTS)
        last = positions.index(in_units.end, CODE_POINTS)
        assert first is not None and last is not None
        assert not good_start(SPACED, first) and not good_end(SPACED, last)


def test_a_few_odd_selections_do_not_overrule_the_tools_counting() -> None:
    choice = choose(Positions(SPACED), selections(in_units=8, in_points=2), UTF16)
    assert (choice.counting, choice.fitted, choice.total) == (UTF16, 8, 10)
    assert not choice.contradicted and choice.runner_up is None


def test_clearly_more_selections_fitting_another_counting_overrule_the_tool() -> None:
    choice = choose(Positions(SPACED), selections(in_units=3, in_points=6), UTF16)
    assert choice.counting == CODE_POINTS and choice.contradicted
    assert (choice.fitted, choice.expected_fitted) == (6, 3)


def test_a_lead_smaller_than_three_keeps_the_tool_and_names_a_runner_up() -> None:
    # Two more selections fit as code points: not enough to overrule the
    # tool, too many to trust it blindly.
    choice = choose(Positions(SPACED), selections(in_units=5, in_points=7), UTF16)
    assert choice.counting == UTF16 and not choice.contradicted
    assert choice.runner_up == CODE_POINTS


def test_a_tie_keeps_the_tool_and_names_the_other_counting() -> None:
    choice = choose(Positions(SPACED), selections(in_units=4, in_points=4), UTF16)
    assert choice.counting == UTF16 and choice.runner_up == CODE_POINTS


def test_names_that_give_the_selected_text_decide_a_tie() -> None:
    # Half the selections fit each counting at word boundaries, but the
    # names the tool wrote are the text as counted in code points.
    evidence = [word_at(n, True) for n in range(4)] + [
        word_at(n, False, named=True) for n in range(4, 8)
    ]
    choice = choose(Positions(SPACED), evidence, UTF16)
    assert choice.counting == CODE_POINTS and choice.contradicted


def test_names_decide_where_word_boundaries_say_nothing() -> None:
    # Japanese is written without spaces: every cut is as good as another,
    # and only the names can tell the counting.
    text = "😀今日は仕事が大変でしたが、同僚が助けてくれました。"
    coded = ["仕事が大変", "同僚が助けて"]
    evidence = [Selected(text.index(w), text.index(w) + len(w), w) for w in coded]
    assert choose(Positions(text), evidence, UTF16).counting == CODE_POINTS
    unnamed = [Selected(s.start, s.end) for s in evidence]
    assert choose(Positions(text), unnamed, UTF16).counting == UTF16


def test_names_that_are_no_text_of_the_source_are_no_evidence() -> None:
    # QualCoder names a selection by its line ("line:6"): that is no text.
    evidence = [word_at(n, True) for n in range(4)] + [
        Selected(s.start, s.end, "line:6") for s in selections(in_units=0, in_points=4)
    ]
    assert choose(Positions(SPACED), evidence, UTF16).counting == UTF16


def test_an_excerpt_the_runner_up_would_cut_otherwise_is_named(tmp_path: Path) -> None:
    # Only the second selection lies after an emoji and a line break; read
    # otherwise it would start on a space. The tool's counting fits both,
    # another fits one: the excerpt the two cut differently is named.
    study = tmp_path / "study"
    xml = project("QualCoder 3.5", COUNTED_AS["code points"], CODED[:2])
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    assert imported_texts(study) == CODED[:2]
    (source,) = result.report.sources
    assert source.choice.counting == CODE_POINTS and source.choice.runner_up is not None
    (uncertain,) = source.uncertain
    excerpts = yaml.safe_load((study / "codebook/excerpts/p01.yml").read_text(encoding="utf-8"))
    assert [e["id"] for e in excerpts["excerpts"]].index(uncertain) == 1
    warning = next(line for line in result.report.lines() if "would be cut otherwise" in line)
    assert uncertain in warning and "compare them with the source" in warning


def test_tools_are_known_by_their_origin() -> None:
    assert tool_counting("NVivo 14") == UTF16
    assert tool_counting("ATLAS.ti 9.1.7") == CRLF_AS_ONE
    assert tool_counting("Taguette 1.4.1") == CODE_POINTS
    assert tool_counting(None) == CODE_POINTS  # the standard's


@pytest.mark.parametrize(
    ("text", "index", "splits"),
    [
        ("café 🙂 ok", 0, False),
        ("café 🙂 ok", 4, False),
        ("café 🙂 ok", 2, True),
        ("don't", 3, True),  # before the apostrophe
        ("don't", 4, True),  # after it
        ("the 'quoted' word", 5, False),  # after an opening quote mark
        ("bi\u0301rod", 2, True),  # between a letter and its accent written apart
        ("bi\u0301rod", 3, True),  # after the accent
        ("a 👩\u200d⚕️ b", 3, True),  # inside an emoji joined of two
        ("今日は仕事", 2, False),  # no spaces between words: no evidence
        ("ab", 2, False),  # the end of the text
    ],
)
def test_where_a_cut_splits_a_word(text: str, index: int, splits: bool) -> None:
    assert inside_word(text, index) is splits


def test_a_selection_that_starts_or_ends_on_a_space_does_not_start_or_end_well() -> None:
    text = "one two"
    assert good_start(text, 4) and not good_start(text, 3)
    assert good_end(text, 3) and not good_end(text, 4)


def test_a_selection_ending_inside_a_word_is_named(tmp_path: Path) -> None:
    study = tmp_path / "study"
    xml = project("QualCoder 3.5", COUNTED_AS["code points"], [*CODED, "Hogy bíro"])
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    assert imported_texts(study)[-1] == "Hogy bíro"
    (source,) = result.report.sources
    assert len(source.inside_words) == 1


@pytest.mark.parametrize(("start", "end"), [("-3", "4"), ("4", "99999"), ("12", "5")])
def test_positions_outside_the_text_are_a_counted_skip(
    tmp_path: Path, start: str, end: str
) -> None:
    xml = project("QualCoder 3.5", COUNTED_AS["code points"], CODED[:1])
    xml = re.sub(
        r'startPosition="\d+" endPosition="\d+"',
        f'startPosition="{start}" endPosition="{end}"',
        xml,
    )
    study = tmp_path / "study"
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    assert result.report.skipped["selections outside their text"] == 1
    assert result.report.excerpts == 0


def test_a_source_text_in_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    study = tmp_path / "study"
    xml = project("NVivo 12.6", COUNTED_AS["UTF-16"])
    with zipfile.ZipFile(tmp_path / "p.qdpx", "w") as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        archive.writestr(f"sources/{SOURCE}.txt", TEXT.encode("utf-16"))  # with its mark
    import_file(tmp_path / "p.qdpx", study)
    assert imported_texts(study) == CODED


# -- the account -------------------------------------------------------------------------


def test_the_import_report_is_written_beside_the_codebook_and_printed(tmp_path: Path) -> None:
    source = qdpx(tmp_path / "p.qdpx", project("NVivo 12.6", COUNTED_AS["UTF-16"]))
    result = run_qualsite("import", str(source), "--into", "study", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = "S1: positions read as UTF-16 code units; 7 of 7 selections start and end at word"
    assert line in result.stdout
    report = (tmp_path / "study/codebook/IMPORT.md").read_text(encoding="utf-8")
    assert report.startswith("# Imported by qualsite from NVivo 12.6.")
    assert line in report
    assert "## What qualsite check will say" in report
    assert "will stop for 1 error(s); fix the errors:" in report
    assert "7 excerpts in this file are not yet reviewed for anonymisation" in report


def test_the_projects_name_is_not_the_title(tmp_path: Path) -> None:
    study = tmp_path / "study"
    import_file(qdpx(tmp_path / "p.qdpx", project("QualCoder", COUNTED_AS["code points"])), study)
    meta = yaml.safe_load((study / "codebook/study.yml").read_text(encoding="utf-8"))
    assert meta["title"].startswith("Imported study")
    assert "Interjúk" not in (study / "codebook/study.yml").read_text(encoding="utf-8")


# -- what a project holds beyond its codings --------------------------------------------


def test_memos_notes_descriptions_and_variables_are_kept_unpublished(tmp_path: Path) -> None:
    note = "cccccccc-0000-0000-0000-00000000000{}"
    xml = project("QualCoder", COUNTED_AS["code points"])
    xml = (
        xml.replace(
            f'<TextSource guid="{SOURCE}" name="Interjú 1" plainTextPath="internal://{SOURCE}.txt">',
            f'<TextSource guid="{SOURCE}" name="Interjú 1" plainTextPath="internal://{SOURCE}.txt">'
            "<Description>Recorded at the team base.</Description>"
            f'<NoteRef targetGUID="{note.format(1)}"/>',
        )
        .replace(
            "</Sources>",
            "</Sources><Notes>"
            f'<Note guid="{note.format(1)}"><PlainTextContent>Noisy room.</PlainTextContent></Note>'
            f'<Note guid="{note.format(2)}"><PlainTextContent>A memo on the whole project.'
            "</PlainTextContent></Note></Notes>",
        )
        .replace("<CodeBook>", "<Description>Interviews with PWPs.</Description><CodeBook>")
    )
    study = tmp_path / "study"
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    kept = yaml.safe_load((study / "codebook/.refi-notes.yml").read_text(encoding="utf-8"))
    assert kept == {
        "project": {
            "description": "Interviews with PWPs.",
            "memos": ["A memo on the whole project."],
        },
        "sources": [
            {"source": "S1", "description": "Recorded at the team base.", "notes": ["Noisy room."]}
        ],
    }
    assert dict(result.report.kept) == {
        "project description": 1,
        "memos of the project itself": 1,
        "source descriptions": 1,
        "notes on sources": 1,
    }
    meta = yaml.safe_load((study / "codebook/study.yml").read_text(encoding="utf-8"))
    assert "abstract" not in meta  # the description is not published by default


def test_notes_on_cases_links_and_graphs_are_kept_or_counted(tmp_path: Path) -> None:
    note = "cccccccc-0000-0000-0000-00000000000{}"
    case = "88888888-0000-0000-0000-000000000001"
    audio = "aaaaaaaa-0000-0000-0000-000000000009"
    xml = (
        project("QualCoder", COUNTED_AS["code points"])
        .replace(
            "<Sources>",
            f'<Cases><Case guid="{case}" name="Case 1"><Description>Seen twice.</Description>'
            f'<NoteRef targetGUID="{note.format(1)}"/><SourceRef targetGUID="{SOURCE}"/>'
            "</Case></Cases><Sources>",
        )
        .replace(
            "</Sources>",
            f'<AudioSource guid="{audio}" name="a"><AudioSelection guid="{audio[:-1]}8" '
            f'begin="0" end="5"><NoteRef targetGUID="{note.format(3)}"/></AudioSelection>'
            "</AudioSource></Sources><Notes>"
            + "".join(
                f'<Note guid="{note.format(n)}"><PlainTextContent>Note {n}.</PlainTextContent>'
                "</Note>"
                for n in (1, 2, 3)
            )
            + f'</Notes><Links><Link guid="{note.format(9)}" name="leads to" '
            f'originGUID="{CODE}" targetGUID="{CODE}"><NoteRef targetGUID="{note.format(2)}"/>'
            '</Link></Links><Graphs><Graph guid="abababab-0000-0000-0000-000000000001"/>'
            "</Graphs>",
        )
    )
    study = tmp_path / "study"
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    kept = yaml.safe_load((study / "codebook/.refi-notes.yml").read_text(encoding="utf-8"))
    assert kept["cases"] == [
        {"participant": "P1", "description": "Seen twice.", "notes": ["Note 1."]}
    ]
    assert kept["links"] == [{"link": "leads to", "notes": ["Note 2."]}]
    skipped = result.report.skipped
    assert skipped["notes on things the import does not read (graphs, non-text sources)"] == 1
    assert skipped["graphs (a tool's drawings of its codes; draw the model in model.yml)"] == 1
    assert dict(result.report.kept) == {
        "case descriptions": 1,
        "notes on cases": 1,
        "notes on links between codes": 1,
    }


def test_users_and_sets_named_like_people_are_flagged(tmp_path: Path) -> None:
    xml = (
        project("QualCoder", COUNTED_AS["code points"])
        .replace(
            "<CodeBook>",
            '<Users><User guid="ffffffff-0000-0000-0000-000000000001" name="Anna Kovács"/></Users>'
            "<CodeBook>",
        )
        .replace(
            "</Sources>",
            f'</Sources><Sets><Set guid="eeeeeeee-0000-0000-0000-000000000001" name="Kovács Anna">'
            f'<MemberCode targetGUID="{CODE}"/></Set>'
            '<Set guid="eeeeeeee-0000-0000-0000-000000000002" name="Round 2 interviews"/></Sets>',
        )
    )
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), tmp_path / "study")
    checks = result.report.checks
    assert any("set 1 of codebook/.refi-sets.yml is named like a person" in c for c in checks)
    assert not any("set 2" in c for c in checks)
    assert any("1 user(s) are named in the project" in c for c in checks)
    written = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "study").rglob("*") if p.is_file()
    )
    assert "Anna" not in "\n".join(result.report.lines())
    assert "Anna" not in written.replace("Kovács Anna", "")  # the set keeps its name, unpublished
    assert "Kovács" in (tmp_path / "study/codebook/.refi-sets.yml").read_text(encoding="utf-8")


# -- small things users hit ----------------------------------------------------------------


def test_a_project_shared_as_a_zip_and_with_a_capital_sources_folder_imports(
    tmp_path: Path,
) -> None:
    study = tmp_path / "study"
    xml = project("MAXQDA 2022", COUNTED_AS["code points"])
    import_file(qdpx(tmp_path / "p.zip", xml, sources_folder="Sources"), study)
    assert imported_texts(study) == CODED


def test_into_a_file_is_a_plain_message(tmp_path: Path) -> None:
    (tmp_path / "study").write_text("not a folder")
    source = qdpx(tmp_path / "p.qdpx", project("QualCoder", COUNTED_AS["code points"]))
    result = run_qualsite("import", str(source), "--into", "study", cwd=tmp_path)
    assert result.returncode == 1
    assert "study is a file; --into names the folder of the study to make" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_or_foreign_source_is_a_counted_skip(tmp_path: Path) -> None:
    xml = project("QualCoder", COUNTED_AS["code points"])
    latin = tmp_path / "latin.qdpx"
    with zipfile.ZipFile(latin, "w") as archive:  # the same project, its text in Latin-1
        archive.writestr("project.qde", xml.encode("utf-8"))
        archive.writestr(f"sources/{SOURCE}.txt", "Kérdező: Hogy bírod?".encode("cp1250"))
    result = import_file(latin, tmp_path / "a")
    assert result.report.skipped["selections in unreadable sources"] == len(CODED)
    damaged = tmp_path / "damaged.qdpx"
    data = bytearray(qdpx(damaged, xml).read_bytes())
    entry = data.find(f"sources/{SOURCE}.txt".encode())
    data[entry + 60 : entry + 64] = b"\x00\xff\x00\xff"  # inside the deflated text
    damaged.write_bytes(bytes(data))
    result = import_file(damaged, tmp_path / "b")
    assert result.report.skipped["selections in unreadable sources"] == len(CODED)
    assert any("damaged" in w for w in result.report.warnings)


def test_no_skip_of_nothing_is_printed(tmp_path: Path) -> None:
    xml = project("QualCoder", COUNTED_AS["code points"]).replace(
        "</Sources>", '<AudioSource guid="aaaaaaaa-0000-0000-0000-000000000009"/></Sources>'
    )
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), tmp_path / "study")
    assert not any(line.startswith("  skipped: 0") for line in result.report.lines())


# -- a real export ----------------------------------------------------------------------------

SAMPLES = REPO.parent / "shared" / "reference" / "samples"


@pytest.mark.skipif(
    not (SAMPLES / "qc-demo.qdpx").is_file(),
    reason=f"the REFI-QDA samples are not here ({SAMPLES}); they are read from ../shared",
)
def test_every_excerpt_of_the_qualcoder_sample_is_its_coded_words(tmp_path: Path) -> None:

    study = tmp_path / "study"
    import_file(SAMPLES / "qc-demo.qdpx", study)
    with zipfile.ZipFile(SAMPLES / "qc-demo.qdpx") as archive:
        xml = archive.read("project.qde").decode("utf-8")
        texts = {
            name.removeprefix("sources/"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("sources/")
        }
    coded = re.findall(
        r'<TextSource[^>]*plainTextPath="(?:internal://)?([^"]+)"|'
        r'<PlainTextSelection[^>]*startPosition="(\d+)"[^>]*endPosition="(\d+)"',
        xml,
    )
    expected = []
    current = ""
    for path, start, end in coded:
        if path:
            current = texts[path]
        else:
            expected.append(" ".join(current[int(start) : int(end)].split()))
    excerpts = [" ".join(text.split()) for text in imported_texts(study)]
    assert len(expected) == 158
    assert sorted(excerpts) == sorted(expected)


def test_import_errors_name_no_archive_entry(tmp_path: Path) -> None:
    # An archive's own entry names can be a participant's name: a project
    # with no .qde names none of its entries.
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sources/Jane Oakwood interview.txt", "x")
    with pytest.raises(ImportError_) as error:
        import_file(path, tmp_path / "study")
    assert "Oakwood" not in str(error.value)


def test_a_project_xml_named_after_the_project_is_not_named_in_errors(tmp_path: Path) -> None:
    # ATLAS.ti names the XML after the project, and a project may be named
    # after the service it studies.
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Oakwood Talking Therapies.qde", "<Project><unclosed></Project>")
    with pytest.raises(ImportError_) as error:
        import_file(path, tmp_path / "study")
    assert "the project's XML" in str(error.value) and "Oakwood" not in str(error.value)


def test_guids_spelt_differently_still_join_codings_to_codes(tmp_path: Path) -> None:
    # One tool writes a code's GUID in capitals, another refers to it in
    # braces and small letters: the same GUID.
    xml = project("QualCoder", COUNTED_AS["code points"])
    xml = xml.replace(f'<Code guid="{CODE}"', f'<Code guid="{CODE.upper()}"').replace(
        f'<CodeRef targetGUID="{CODE}"/>', f'<CodeRef targetGUID="{{{CODE}}}"/>'
    )
    study = tmp_path / "study"
    result = import_file(qdpx(tmp_path / "p.qdpx", xml), study)
    assert imported_texts(study) == CODED
    assert not result.report.skipped


def test_a_text_whose_windows_line_breaks_were_lost_is_read_as_counted(tmp_path: Path) -> None:
    # Text written inside the project: XML reads its CR LF line breaks as LF,
    # but the tool counted them as two characters (and a tool's export
    # option can do the same to a text file).
    inline = project("QualCoder 3.5", COUNTED_AS["code points"]).replace(
        f'plainTextPath="internal://{SOURCE}.txt">', f"><PlainTextContent>{TEXT}</PlainTextContent>"
    )
    study = tmp_path / "study"
    result = import_file(qdpx(tmp_path / "p.qdpx", inline), study)
    assert imported_texts(study) == CODED
    (source,) = result.report.sources
    assert source.choice.counting == Counting(lines=LineBreaks.LF_AS_TWO)
    assert "an LF line break counted as two" in source.line()


def test_every_index_maps_back_when_lone_line_breaks_were_counted_as_two() -> None:
    text = TEXT.replace("\r\n", "\n")
    positions = Positions(text)
    for in_units in (False, True):
        counting = Counting(in_units, LineBreaks.LF_AS_TWO)
        for index in range(len(text) + 1):
            counted = (utf16(text, index) if in_units else index) + text[:index].count("\n")
            assert positions.index(counted, counting) == index
        # Between the CR and the LF that the counting imagines: no position.
        first_break = text.index("\n")
        assert positions.index(first_break + 1, Counting(lines=LineBreaks.LF_AS_TWO)) is None

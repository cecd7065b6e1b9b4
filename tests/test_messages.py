"""The messages a researcher meets first: YAML syntax errors in their own words
with the fix, empty and comment-only files, misnamed folders, misspelt model
ids, and no follow-on errors from a file that could not be read. Every
expectation is the whole message, as the user sees it."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from helpers import REPO, run_qualsite, write_study
from qualsite import yaml_source
from qualsite.errors import Location, Problems, StudyError
from qualsite.reference import find_section, reference_path, sections
from qualsite.study import load_study
from qualsite.study.format import FILE_KINDS
from qualsite.yaml_source import parse_yaml

EXCERPTS = "codebook/excerpts/p1.yml"


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both parsers: libyaml's C loader (what qualsite uses) and PyYAML's own,
    the fallback, which words its errors differently."""
    if request.param == "pure-python":
        monkeypatch.setattr(yaml_source, "YamlLoader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("this PyYAML was built without libyaml")
    return str(request.param)


def syntax_problem(text: str) -> str:
    problems = Problems()
    document = parse_yaml(textwrap.dedent(text).encode(), EXCERPTS, problems)
    assert document is None
    (problem,) = problems
    return str(problem)


@pytest.fixture
def in_study(tmp_path: Path) -> Iterator[Path]:
    """The minimal study, with paths in messages relative to it."""
    write_study(tmp_path)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def report_of(root: Path, changes: dict[str, str | None]) -> StudyError:
    """The error loading the study at ``root`` (the working folder) raises."""
    for relative, content in changes.items():
        path = root / relative
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    with pytest.raises(StudyError) as raised:
        load_study(Path("codebook"))
    return raised.value


# -- a colon in a value -------------------------------------------------------------


COLON_CASES = [
    pytest.param(
        """\
        excerpts:
          - id: p1-chat
            categories: [coping]
            text: The team: a group chat we all use
        """,
        f"{EXCERPTS}:4:19: the value of 'text' holds \": \" (a colon and a space), which "
        "YAML reads as the start of a new field; put the whole value in quotes, like this: "
        'text: "The team: a group chat we all use", or write it in block style: '
        "'text: >' with the text on the lines below, indented",
        id="in-an-excerpt",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-long
            text: Supervision: the one hour a week when I can say what went wrong and why
        """,
        f"{EXCERPTS}:3:22: the value of 'text' holds \": \" (a colon and a space), which "
        "YAML reads as the start of a new field; put the whole value in quotes, like this: "
        'text: "Supervision: the one hour a week when I…", or write it in block style: '
        "'text: >' with the text on the lines below, indented",
        id="long-text-shortened",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-said
            text: "I said": no more
        """,
        f"{EXCERPTS}:3:19: the value of 'text' holds \": \" (a colon and a space), which "
        "YAML reads as the start of a new field; put the whole value in quotes, like this: "
        "text: '\"I said\": no more', or write it in block style: 'text: >' with the text "
        "on the lines below, indented",
        id="after-a-quoted-start",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-memo
            memo:
              - Check: the team: which one
        """,
        f'{EXCERPTS}:4:24: the text holds ": " (a colon and a space), which YAML reads as '
        "the start of a new field; put the whole value in quotes, like this: "
        '- "Check: the team: which one"',
        id="in-a-list-item",
    ),
    pytest.param(
        """\
        excerpts:
          - {id: p1-chat, text: The team: a group chat, categories: [coping]}
        """,
        f'{EXCERPTS}:2:33: a value inside {{}} holds ": " (a colon and a space), which YAML '
        "reads as the start of a new field; put that value in quotes, like this: "
        'text: "The team: a group chat"',
        id="in-braces",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-chat
            text: The team is where
              what: we cannot say anywhere else
        """,
        f"{EXCERPTS}:4: line 4 is read as more of the text of 'text' (line 3), and its "
        "': ' as the start of a new field; if 'what' is a field of its own, indent it by "
        "4 spaces, as 'text' is; to keep it in the text, put the whole text in quotes, or "
        "write it in block style: 'text: >' with the text on the lines below, indented",
        id="on-the-text's-second-line",
    ),
]


@pytest.mark.parametrize(("text", "expected"), COLON_CASES)
def test_a_colon_in_a_value_says_to_quote_it(parser: str, text: str, expected: str) -> None:
    assert syntax_problem(text) == expected


# -- indentation -------------------------------------------------------------------

INDENTATION_CASES = [
    pytest.param(
        """\
        participants:
          - id: P1
             label: Participant 1
        """,
        f"{EXCERPTS}:3: line 3 is indented further than 'id' on line 2 (5 spaces, not 4), "
        "so YAML reads it as more of the value of 'id'; indent it by 4 spaces, as 'id' is",
        id="a-field-too-far-in",
    ),
    pytest.param(
        """\
        participants:
          - id: P1
           label: Participant 1
        """,
        f"{EXCERPTS}:3: line 3 does not line up with the lines around it: 'label' is "
        "3 spaces in, but 'id' on line 2 is 4 spaces in; indent it by 4 spaces, as 'id' is",
        id="a-field-not-far-enough-in",
    ),
    pytest.param(
        """\
        participants:
          - id: P1
            label: Participant 1
           - id: P2
        """,
        f"{EXCERPTS}:4: line 4 does not line up with the lines around it: its '-' is "
        "3 spaces in, but the '-' on line 2 is 2 spaces in; the items of a list line up: "
        "indent it by 2 spaces, as line 2 is",
        id="an-item-too-far-in",
    ),
    pytest.param(
        """\
        participants:
          - id: P1
         - id: P2
        """,
        f"{EXCERPTS}:3: line 3 does not line up with the lines around it: its '-' is "
        "1 space in, but the '-' on line 2 is 2 spaces in; the items of a list line up: "
        "indent it by 2 spaces, as line 2 is",
        id="an-item-not-far-enough-in",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: Words.
          categories: [coping]
        """,
        f"{EXCERPTS}:4: line 4 does not line up with the lines around it: 'categories' is "
        "2 spaces in, but 'text' on line 3 is 4 spaces in; indent it by 4 spaces, as 'text' "
        "is, or start it with '- ' if it begins a new item of the list",
        id="a-field-at-the-list's-own-indentation",
    ),
    pytest.param(
        """\
         title: A study
        authors:
          - name: A. Researcher
        """,
        f"{EXCERPTS}:1: line 1 is indented (1 space), but the fields at the top of a file "
        "start at the beginning of their line; remove the spaces",
        id="the-first-line-indented",
    ),
    pytest.param(
        """\
        title: Resilience
         authors: []
        """,
        f"{EXCERPTS}:2: line 2 is indented further than 'title' on line 1 (1 space, not 0), "
        "so YAML reads it as more of the value of 'title'; start it at the beginning of the "
        "line, as 'title' is",
        id="a-top-level-field-indented",
    ),
    pytest.param(
        "participants:\n\t- id: P1\n",
        f"{EXCERPTS}:2: a tab is used for indentation; YAML only allows spaces",
        id="a-tab",
    ),
]


@pytest.mark.parametrize(("text", "expected"), INDENTATION_CASES)
def test_a_line_out_of_line_says_which_lines_and_how_far(
    parser: str, text: str, expected: str
) -> None:
    assert syntax_problem(text) == expected


# -- other mistakes people make often ------------------------------------------------

OTHER_CASES = [
    pytest.param(
        """\
        participants:
          - id P1
            label: Participant 1
        """,
        f"{EXCERPTS}:2: '- id P1' has no ': ' after a field name, so YAML reads line 3 as "
        "more of its text; write ': ' after the field's name (as in 'id: P1')",
        id="no-colon-after-a-field-name",
    ),
    pytest.param(
        """\
        title: A study
        authors
          - name: A. Researcher
        """,
        f"{EXCERPTS}:2: 'authors' has no ': ' after it, so it is not a field; write "
        "'authors:' if it is a field; if it is more of the text of 'title' on line 1, "
        "indent it further than 'title'",
        id="no-colon-before-a-list",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: The team is
            where we talk
        """,
        f"{EXCERPTS}:4: 'where we talk' has no ': ' after it, so it is not a field; if it "
        "is a field, write ': ' after its name; if it is more of the text of 'text' on "
        "line 3, indent it further than 'text' (more than 4 spaces)",
        id="a-text's-second-line-not-indented",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: *sigh* I said so
        """,
        f"{EXCERPTS}:3:11: the value of 'text' starts with '*', which YAML reads as an "
        "alias (a reference to an '&' anchor); put the whole value in quotes, like this: "
        'text: "*sigh* I said so"',
        id="an-asterisk",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: [name] told me
        """,
        f"{EXCERPTS}:3:11: the value of 'text' starts with '[', which YAML reads as a list, "
        "which ends at the next ']', and what follows it cannot be read; put the whole "
        'value in quotes, like this: text: "[name] told me"',
        id="a-redaction-first",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: 'it's what we do'
        """,
        f"{EXCERPTS}:3:11: the value of 'text' starts with \"'\", which YAML reads as a "
        'quoted value, which ends at the next "\'", and what follows it cannot be read; put '
        'the whole value in quotes, like this: text: "it\'s what we do"',
        id="an-apostrophe-in-single-quotes",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: > I said
        """,
        f"{EXCERPTS}:3:11: the value of 'text' starts with '>', which YAML reads as block "
        "style, whose text starts on the next line; write the text on the lines below, "
        'indented, or put the whole value in quotes, like this: text: "> I said"',
        id="block-style-on-one-line",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: - and then
        """,
        f"{EXCERPTS}:3:11: the value of 'text' starts with '-', which YAML reads as a list "
        'item; put the whole value in quotes, like this: text: "- and then"',
        id="a-dash",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            text: "I never
        """,
        f'{EXCERPTS}:3:11: the quote (") that opens this value is never closed; end the '
        'value with "',
        id="a-quote-never-closed",
    ),
    pytest.param(
        """\
        excerpts:
          - id: p1-a
            categories: [coping, peer-support
            text: Words.
        """,
        f"{EXCERPTS}:3:17: the '[' here is not closed: end the list with ']' on this line",
        id="a-bracket-never-closed",
    ),
    pytest.param(
        """\
        participant: P1
        ---
        excerpts: []
        """,
        f"{EXCERPTS}:2: '---' starts a second YAML document, and a codebook file holds "
        "one; remove the line, or move what follows it into a file of its own",
        id="a-second-document",
    ),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_CASES)
def test_other_common_mistakes_say_what_to_change(parser: str, text: str, expected: str) -> None:
    assert syntax_problem(text) == expected


def test_a_tab_inside_a_line(parser: str) -> None:
    # libyaml takes the tab for a space, and so meets the colon after it.
    expected = {
        "libyaml": f"{EXCERPTS}:3:12: the value of 'id' holds \": \" (a colon and a space), "
        "which YAML reads as the start of a new field; put the whole value in quotes, like "
        "this: id: \"a b: c\", or write it in block style: 'id: >' with the text on the "
        "lines below, indented",
        "pure-python": f"{EXCERPTS}:3:10: a tab here is not allowed outside quotes; replace "
        "it with a space",
    }
    assert syntax_problem("participant: P1\nexcerpts:\n  - id: a\tb: c\n") == expected[parser]


def test_a_mistake_libyaml_words_well_enough_keeps_its_words() -> None:
    assert syntax_problem("participants: !!binary [\n") == (
        f"{EXCERPTS}:2: not valid YAML: while parsing a flow node, did not find expected "
        "node content"
    )


def test_a_location_with_a_column_reads_as_editors_read_it() -> None:
    assert str(Location("a.yml", 3, 19)) == "a.yml:3:19"
    assert str(Location("a.yml", 3)) == "a.yml:3"
    assert str(Location("a.yml")) == "a.yml"


def test_a_syntax_error_stops_check_with_the_message_and_no_traceback(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            EXCERPTS: """\
                participant: P1
                excerpts:
                  - id: p1-peers
                    categories: [peer-support]
                    text: The team: a group chat we all use
                """
        },
    )
    result = run_qualsite("check", cwd=tmp_path, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{EXCERPTS}:5:19: the value of 'text' holds \": \" (a colon and a space), which YAML "
        "reads as the start of a new field; put the whole value in quotes, like this: "
        'text: "The team: a group chat we all use", or write it in block style: '
        "'text: >' with the text on the lines below, indented\n"
        f"Not checked until {EXCERPTS} can be read: the excerpts that your pages embed.\n"
        "1 problem found; nothing was built.\n"
    )


# -- a file with nothing in it -------------------------------------------------------

NEEDS = {
    "study": "the study's description needs 'title:' and 'authors:' with a list of authors, "
    "each with 'name'",
    "participants": "a participants file needs 'participants:' with a list of participants, "
    "each with 'id'",
    "categories": "a categories file needs 'categories:' with a list of categories, each "
    "with 'id' and 'name'",
    "excerpts": "an excerpts file needs 'excerpts:' with a list of excerpts, each with 'id', "
    "'text' and 'categories'",
    "tables": "a tables file needs 'tables:' with a list of tables, each with 'number' and 'title'",
    "model": "the model needs 'title:' and 'nodes:' with a list of nodes",
    "decisions": "a decisions file needs 'decisions:' with a list of decisions, each with "
    "'date' and 'decided'",
    "checklist": "a checklist file needs 'standard:' and 'items:' with a list of checklist "
    "items, each with 'item'",
}


#: What is not checked while a file of each kind cannot be read.
SKIPPED = {
    "participants": "the participants that excerpts name",
    "categories": "the categories that excerpts, tables, the model and your pages name",
    "excerpts": "the excerpts that your pages embed",
    "tables": "the tables that your pages embed",
    "model": "the figure that your pages embed",
}


@pytest.mark.parametrize("kind", [kind.stem for kind in FILE_KINDS])
def test_a_file_of_comments_is_told_apart_from_an_empty_one(in_study: Path, kind: str) -> None:
    path = EXCERPTS if kind == "excerpts" else f"codebook/{kind}.yml"
    comments = report_of(in_study, {path: "# yaml-language-server: $schema=x.json\n\n# to do\n"})
    assert [str(p) for p in comments.problems] == [
        f"{path}: the file holds only comments; {NEEDS[kind]} (see `qualsite format {kind}`)"
    ]
    empty = report_of(in_study, {path: "\n"})
    assert [str(p) for p in empty.problems] == [
        f"{path}: the file is empty; {NEEDS[kind]} (see `qualsite format {kind}`)"
    ]
    skipped = (
        (f"Not checked until {path} can be read: {SKIPPED[kind]}.",) if kind in SKIPPED else ()
    )
    assert comments.notes == empty.notes == skipped


def test_a_comment_only_file_stops_check_with_its_message(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/participants.yml": "# Pseudonymous ids only.\n"})
    result = run_qualsite("check", cwd=tmp_path, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 1
    assert result.stderr == (
        "codebook/participants.yml: the file holds only comments; a participants file needs "
        "'participants:' with a list of participants, each with 'id' (see `qualsite format "
        "participants`)\n"
        "Not checked until codebook/participants.yml can be read: the participants that "
        "excerpts name.\n"
        "1 problem found; nothing was built.\n"
    )


# -- no follow-on errors from a file that could not be read ------------------------------


def test_broken_categories_hide_no_excerpt_or_table_and_say_what_was_skipped(
    in_study: Path,
) -> None:
    error = report_of(
        in_study,
        {
            "codebook/categories.yml": """\
                categories:
                  - id: coping
                    name: Coping: what people do
                """,
            "codebook/tables.yml": "tables:\n  - {number: 1, title: T, subtree: coping}\n",
            "codebook/model.yml": "title: M\nnodes:\n  - {category: peer-support}\n",
        },
    )
    assert [str(p) for p in error.problems] == [
        "codebook/categories.yml:3:17: the value of 'name' holds \": \" (a colon and a space), "
        "which YAML reads as the start of a new field; put the whole value in quotes, like "
        "this: name: \"Coping: what people do\", or write it in block style: 'name: >' with "
        "the text on the lines below, indented"
    ]
    assert error.notes == (
        "Not checked until codebook/categories.yml can be read: the categories that "
        "excerpts, tables, the model and your pages name.",
    )
    assert error.report().splitlines()[-2:] == [
        error.notes[0],
        "1 problem found; nothing was built.",
    ]


def test_broken_participants_hide_no_excerpt(in_study: Path) -> None:
    error = report_of(
        in_study, {"codebook/participants.yml": "participants:\n  - id: P1\n   label: x\n"}
    )
    assert [p.message for p in error.problems] == [
        "line 3 does not line up with the lines around it: 'label' is 3 spaces in, but 'id' "
        "on line 2 is 4 spaces in; indent it by 4 spaces, as 'id' is"
    ]
    assert error.notes == (
        "Not checked until codebook/participants.yml can be read: the participants that "
        "excerpts name.",
    )


def test_one_broken_file_of_a_folder_is_named_in_the_note(in_study: Path) -> None:
    error = report_of(
        in_study,
        {
            "codebook/categories.yml": None,
            "codebook/categories/a.yml": "categories:\n  - {id: coping, name: Coping}\n",
            "codebook/categories/b.yml": "categories:\n  - id: peer-support\n   name: P\n",
        },
    )
    # p1.yml and p2.yml name peer-support and supervision, which b.yml (and
    # nothing) defines: neither is reported while b.yml cannot be read.
    assert [p.location.path for p in error.problems] == ["codebook/categories/b.yml"]
    assert error.notes == (
        "Not checked until codebook/categories/b.yml can be read: the categories that "
        "excerpts, tables, the model and your pages name.",
    )


def test_a_file_that_is_read_reports_its_unknown_ids_as_before(in_study: Path) -> None:
    error = report_of(
        in_study,
        {EXCERPTS: "participant: P9\nexcerpts:\n  - {id: a, categories: [copng], text: T}\n"},
    )
    assert [str(p) for p in error.problems] == [
        f"{EXCERPTS}:1: unknown participant 'P9'; add it to participants.yml",
        f"{EXCERPTS}:3: unknown category 'copng' (did you mean 'coping'?)",
    ]
    assert error.notes == ()


def test_a_build_with_broken_categories_writes_nothing_and_reports_no_follow_on(
    tmp_path: Path,
) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - id: coping
                    name: Coping: what people do
                """,
            "content/index.md": "# Home\n\n[[category: peer-support]]\n\n[[excerpt: p1-peers]]\n",
        },
    )
    result = run_qualsite("build", cwd=tmp_path, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 1
    assert not (tmp_path / "site").exists()
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert (
        "Not checked until codebook/categories.yml can be read: the categories that excerpts, "
        "tables, the model and your pages name."
    ) in lines
    assert "1 problem found; nothing was built." in lines
    assert "unknown" not in result.stderr  # no excerpt's category, no page's embed


def test_a_broken_excerpt_file_hides_no_embed_of_its_excerpts(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p1.yml": "participant: P1\nexcerpts:\n  - id: p1-peers\n"
            "    categories: [peer-support]\n    text: The team: a chat\n",
            "content/index.md": "# Home\n\n[[excerpt: p1-peers]]\n",
        },
    )
    result = run_qualsite("check", cwd=tmp_path, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 1
    assert "content/index.md" not in result.stderr
    assert result.stderr.endswith(
        f"Not checked until {EXCERPTS} can be read: the excerpts that your pages embed.\n"
        "1 problem found; nothing was built.\n"
    )


# -- the model: did you mean, and no follow-on errors -------------------------------------

MODEL = """\
    title: A model
    groups:
      - {category: coping}
    nodes:
      - {category: peer-support, group: coping}
      - {category: supervision, group: coping}
      - {id: purpose-and-identity, label: Purpose}
    edges:
      - {from: peer-support, to: purpose-and-identity}
    """


def model_problems(root: Path, old: str, new: str) -> list[str]:
    assert old in MODEL
    return [
        str(p) for p in report_of(root, {"codebook/model.yml": MODEL.replace(old, new)}).problems
    ]


def test_a_misspelt_group_category_is_the_only_error(in_study: Path) -> None:
    # Its nodes' group, the arrows to it and the group being empty all follow
    # from the one misspelling.
    problems = model_problems(in_study, "{category: coping}", "{category: copng}")
    assert problems == ["codebook/model.yml:3: unknown category 'copng' (did you mean 'coping'?)"]


def test_a_misspelt_node_category_is_the_only_error(in_study: Path) -> None:
    problems = model_problems(in_study, "{category: peer-support,", "{category: peer-suport,")
    assert problems == [
        "codebook/model.yml:5: unknown category 'peer-suport' (did you mean 'peer-support'?)"
    ]


def test_a_misspelt_group_gets_a_suggestion_and_no_empty_group_error(in_study: Path) -> None:
    misspelt = MODEL.replace("group: coping}", "group: copin}")
    error = report_of(in_study, {"codebook/model.yml": misspelt})
    assert [str(p) for p in error.problems] == [
        "codebook/model.yml:5: unknown group 'copin' (did you mean 'coping'?)",
        "codebook/model.yml:6: unknown group 'copin' (did you mean 'coping'?)",
    ]


def test_a_shortened_node_id_gets_a_suggestion(in_study: Path) -> None:
    problems = model_problems(in_study, "to: purpose-and-identity}", "to: purpose}")
    assert problems == [
        "codebook/model.yml:9: to: the edge points to a missing node or group 'purpose' "
        "(did you mean 'purpose-and-identity'?)"
    ]


def test_an_arrow_to_a_category_left_out_of_the_model(in_study: Path) -> None:
    text = MODEL.replace("      - {category: supervision, group: coping}\n", "")
    text = text.replace("{from: peer-support,", "{from: supervision,")
    error = report_of(in_study, {"codebook/model.yml": text})
    assert [str(p) for p in error.problems] == [
        "codebook/model.yml:8: from: the edge points to a missing node or group 'supervision'; "
        "'supervision' is a category, but the model has no node or group for it: add one, "
        "{category: supervision}, under 'nodes' or 'groups'"
    ]


def test_the_core_may_name_a_node_dropped_for_another_mistake(in_study: Path) -> None:
    text = MODEL.replace("{category: supervision,", "{category: supervisoin,")
    error = report_of(in_study, {"codebook/model.yml": text + "core: supervision\n"})
    assert [str(p) for p in error.problems] == [
        "codebook/model.yml:6: unknown category 'supervisoin' (did you mean 'supervision'?)"
    ]


# -- files and folders qualsite does not read ------------------------------------------


def warnings_for(root: Path, files: dict[str, str]) -> list[str]:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    problems = Problems()
    load_study(Path("codebook"), problems)
    return [str(w) for w in problems.warnings]


def ignores_case(folder: Path) -> bool:
    probe = folder / "Case-Probe"
    probe.mkdir()
    try:
        return (folder / "case-probe").exists()
    finally:
        probe.rmdir()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "codebook/excerpt/p9.yml",
            "codebook/excerpt: warning: qualsite does not read this folder (did you mean "
            "'excerpts/'?); rename it 'excerpts'",
        ),
        (
            "codebook/Excerpts/p9.yml",
            "codebook/Excerpts: warning: qualsite does not read this folder (did you mean "
            "'excerpts/'?); rename it 'excerpts', in lowercase",
        ),
        (
            "codebook/categorie/a.yml",
            "codebook/categorie: warning: qualsite does not read this folder (did you mean "
            "'categories/'?); rename it 'categories'",
        ),
        (
            "codebook/study/more.yml",
            "codebook/study: warning: qualsite does not read this folder: study.yml is one "
            "file, not a folder; move what the folder holds into codebook/study.yml",
        ),
        (
            "codebook/drafts/p9.yml",
            "codebook/drafts: warning: qualsite does not read this folder; the codebook holds "
            "study.yml, participants.yml, categories.yml, excerpts.yml, tables.yml, "
            "model.yml, decisions.yml and checklist.yml, or folders participants/, "
            "categories/, excerpts/ and tables/ of such files",
        ),
        (
            "codebook/tabels.yml",
            "codebook/tabels.yml: warning: qualsite does not read this file (did you mean "
            "'tables.yml'?); rename it 'tables.yml'",
        ),
        (
            "codebook/Model.yaml",
            "codebook/Model.yaml: warning: qualsite does not read this file (did you mean "
            "'model.yaml'?); rename it 'model.yaml', in lowercase",
        ),
        (
            "codebook/notes.yml",
            "codebook/notes.yml: warning: qualsite does not read this file; the codebook holds "
            "study.yml, participants.yml, categories.yml, excerpts.yml, tables.yml, "
            "model.yml, decisions.yml and checklist.yml, or folders participants/, "
            "categories/, excerpts/ and tables/ of such files",
        ),
        (
            "codebook/excerpts/P9.YML",
            "codebook/excerpts/P9.YML: warning: qualsite does not read this file: it reads "
            "files ending in .yml or .yaml, in lowercase; rename it 'P9.yml'",
        ),
    ],
)
def test_a_misnamed_file_or_folder_is_suggested_by_its_right_name(
    in_study: Path, written: str, expected: str
) -> None:
    if ignores_case(in_study) and written.lower().startswith(
        ("codebook/excerpts", "codebook/model")
    ):
        pytest.skip("on a disk that ignores case, qualsite reads it under its lowercase name")
    assert warnings_for(in_study, {written: "excerpts: []\n"}) == [expected]


def test_notes_kept_beside_the_codebook_are_not_warned_about(in_study: Path) -> None:
    assert warnings_for(in_study, {"codebook/README.md": "# notes\n"}) == []


# -- the format reference --------------------------------------------------------------


def test_every_section_a_message_names_is_in_the_reference() -> None:
    reference = (REPO / "FORMAT.md").read_text(encoding="utf-8")
    for kind in FILE_KINDS:
        section = find_section(reference, kind.stem)
        assert section.name == kind.stem
        assert section.text.startswith("## ") and f"{kind.stem}" in section.text.splitlines()[0]
    assert find_section(reference, "publication").heading == "The study's publication"


def test_a_section_runs_to_the_next_heading_of_its_level_and_skips_code() -> None:
    reference = textwrap.dedent(
        """\
        # Title

        ## `study.yml`

        ```yaml
        # not a heading
        ## nor this
        ```

        ### The study's publication

        Text.

        ## `model.yml`

        More.
        """
    )
    assert [(s.name, s.heading) for s in sections(reference)] == [
        ("study", "`study.yml`"),
        ("the-studys-publication", "The study's publication"),
        ("model", "`model.yml`"),
    ]
    study = find_section(reference, "study.yml")
    assert study.text.startswith("## `study.yml`\n\n```yaml\n# not a heading")
    assert study.text.endswith("### The study's publication\n\nText.\n")
    assert find_section(reference, "model").text == "## `model.yml`\n\nMore.\n"


def test_qualsite_format_prints_the_reference_or_one_section(tmp_path: Path) -> None:
    whole = run_qualsite("format", cwd=tmp_path)
    assert whole.returncode == 0
    assert whole.stdout == reference_path().read_text(encoding="utf-8")
    excerpts = run_qualsite("format", "excerpts", cwd=tmp_path)
    assert excerpts.returncode == 0
    assert excerpts.stdout.startswith("## Excerpts: `excerpts/*.yml`\n")
    assert "## Tables" not in excerpts.stdout
    missing = run_qualsite("format", "exerpts", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stdout == ""
    names = ", ".join(s.name for s in sections(reference_path().read_text(encoding="utf-8")))
    assert missing.stderr == (
        "qualsite: the format reference has no section 'exerpts' (did you mean 'excerpts'?); "
        f"its sections are: {names}\n"
    )

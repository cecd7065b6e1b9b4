"""The loader: valid studies load faithfully; every mistake is reported with
its file and line, all of them in one run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import REPO, write_study
from qualsite.errors import Problems, StudyError
from qualsite.study import ExcerptKind, load_study


def problems_of(root: Path) -> list[str]:
    """The problems reported for the study at ``root``, paths relative to it."""
    cwd = Path.cwd()
    os.chdir(root)
    try:
        load_study(Path("codebook"))
    except StudyError as error:
        return [str(p) for p in error.problems]
    finally:
        os.chdir(cwd)
    raise AssertionError("the study loaded without any problem")


# -- valid input ---------------------------------------------------------------


def test_example_study_follows_the_published_model() -> None:
    study = load_study(REPO / "codebook")
    phases = [c.id for c in study.top_categories]
    assert phases == [
        "work-related-challenges",
        "connecting-with-values",
        "implementing-proactive-coping",
    ]
    assert study.core_category is not None
    assert study.core_category.id == "connecting-with-values"
    assert len(study.participants) == 10
    assert [p.id for p in study.participants] == [f"P{n}" for n in range(1, 11)]
    assert len(study.leaf_categories) == 17
    assert len(study.excerpts) >= 40
    assert all(e.kind is ExcerptKind.PARAPHRASE for e in study.excerpts)
    for leaf in study.leaf_categories:
        assert len(study.excerpts_coded_to(leaf)) >= 2, leaf.id


@pytest.mark.parametrize(
    ("category", "participants"),
    [
        ("lack-of-life-experience", {"P8"}),
        ("lack-of-professional-experience", {"P1"}),
        ("high-clinical-volume", {"P5"}),
        ("balancing-admin-and-clinical-work", {"P2"}),
        ("no-space-to-reflect", {"P5"}),
        ("finding-meaning-and-purpose", {"P2", "P3"}),
        ("reminding-oneself-of-meaning", {"P8"}),
        ("values-as-motivator", {"P7"}),
        ("values-based-culture", {"P1"}),
        ("self-care-and-wellbeing", {"P10"}),
        ("practising-what-we-preach", {"P1"}),
        ("compartmentalising", {"P10"}),
        ("peer-support", {"P4"}),
    ],
)
def test_example_ties_categories_to_the_participants_the_model_names(
    category: str, participants: set[str]
) -> None:
    study = load_study(REPO / "codebook")
    coded = {e.participant_id for e in study.excerpts_coded_to(study.category(category))}
    assert participants <= coded


def test_tree_order_uses_order_then_file_position(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - id: b-child
                    parent: top
                    name: B
                  - id: top
                    name: Top
                    order: 2
                  - id: first
                    name: First
                    order: 1
                  - id: a-child
                    parent: top
                    name: A
                  - id: peer-support
                    name: Peers
                  - id: supervision
                    name: Supervision
                """
        },
    )
    study = load_study(tmp_path / "codebook")
    assert [c.id for c in study.categories] == [
        "first",
        "top",
        "b-child",
        "a-child",
        "peer-support",
        "supervision",
    ]
    assert [c.id for c in study.ancestors(study.category("a-child"))] == ["top"]


def test_text_is_taken_as_written(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/study.yml": """\
                title: No
                version: 1.10
                authors: [{name: A}]
                """
        },
    )
    study = load_study(tmp_path / "codebook")
    assert study.meta.title == "No"
    assert study.meta.version == "1.10"


def test_excerpts_are_in_participant_order_whatever_the_file_names(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/a-later-file.yml": """\
                participant: P1
                excerpts:
                  - {id: p1-late, categories: [coping], text: Later.}
                """,
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - {id: p2-only, categories: [coping], text: Two.}
                """,
        },
    )
    study = load_study(tmp_path / "codebook")
    assert [e.participant_id for e in study.excerpts] == ["P1", "P1", "P1", "P2"]
    assert [e.id for e in study.excerpts][:3] == ["p1-late", "p1-peers", "p1-supervision"]


def test_file_level_defaults_and_per_excerpt_overrides(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p1.yml": """\
                participant: P1
                kind: paraphrase
                excerpts:
                  - id: a
                    categories: coping
                    text: One.
                  - id: b
                    participant: P2
                    kind: composite
                    categories: [coping]
                    text: Two.
                    source: {interview: I2, time: "00:41:10-00:42:05"}
                """,
            "codebook/excerpts/p2.yml": None,
        },
    )
    study = load_study(tmp_path / "codebook")
    a, b = study.excerpts_by_id["a"], study.excerpts_by_id["b"]
    assert (a.participant_id, a.kind, a.category_ids) == ("P1", ExcerptKind.PARAPHRASE, ("coping",))
    assert (b.participant_id, b.kind) == ("P2", ExcerptKind.COMPOSITE)
    assert b.source is not None
    assert b.source.describe() == "Interview I2, 00:41:10–00:42:05"


def test_published_view_drops_withdrawn_participants_and_unpublished_excerpts(
    tmp_path: Path,
) -> None:
    write_study(
        tmp_path,
        {
            "codebook/participants.yml": """\
                participants:
                  - id: P1
                  - id: P2
                    withdrawn: true
                """,
            "codebook/excerpts/p1.yml": """\
                participant: P1
                excerpts:
                  - {id: kept, categories: [coping], text: Kept.}
                  - {id: held, categories: [coping], text: Held back., publish: false}
                """,
        },
    )
    study = load_study(tmp_path / "codebook")
    published = study.published()
    assert [p.id for p in published.participants] == ["P1"]
    assert [e.id for e in published.excerpts] == ["kept"]


def test_unread_files_in_the_codebook_are_warned_about(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/excerpt/p9.yml": "excerpts: []\n"})
    problems = Problems()
    load_study(tmp_path / "codebook", problems)
    assert [w.message for w in problems.warnings] == [
        "qualsite does not read this folder (did you mean 'excerpts/'?); rename it 'excerpts'"
    ]


# -- each kind of bad input ------------------------------------------------------


def test_missing_required_field(tmp_path: Path) -> None:
    write_study(
        tmp_path, {"codebook/categories.yml": "categories:\n  - id: coping\n    level: x\n"}
    )
    assert "codebook/categories.yml:2: missing required field 'name' in a category" in problems_of(
        tmp_path
    )


def test_wrong_type(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/study.yml": """\
                title: T
                authors: [{name: A}]
                year: [2021]
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/study.yml:3: year: expected a whole number, found a list"
    ]


@pytest.mark.parametrize("bad_id", ["../x", "/x", "a/b", "a b", "..", "Peer-Support"])
def test_category_ids_that_could_leave_the_site_are_refused(tmp_path: Path, bad_id: str) -> None:
    write_study(
        tmp_path,
        {"codebook/categories.yml": f'categories:\n  - id: "{bad_id}"\n    name: X\n'},
    )
    problems = problems_of(tmp_path)
    assert any(
        p.startswith("codebook/categories.yml:2: id: ") and "is not a valid category id" in p
        for p in problems
    ), problems


@pytest.mark.parametrize("bad_id", ["../x", "/x", "a/b", "P 1", ""])
def test_participant_and_excerpt_ids_must_be_slug_safe(tmp_path: Path, bad_id: str) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": f"""\
                participant: P2
                excerpts:
                  - id: "{bad_id}"
                    categories: [coping]
                    text: Text.
                """
        },
    )
    problems = problems_of(tmp_path)
    assert any(p.startswith("codebook/excerpts/p2.yml:3: id: ") for p in problems), problems


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - id: P1-Peers
                    categories: [coping]
                    text: Same id as in p1.yml, but for case.
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/excerpts/p2.yml:3: duplicate excerpt id 'P1-Peers' ('p1-peers' differs only "
        "in case); it is already used at codebook/excerpts/p1.yml:3"
    ]


def test_unknown_participant_suggests_the_closest(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": """\
                participant: P22
                excerpts:
                  - {id: x, categories: [coping], text: T.}
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/excerpts/p2.yml:1: unknown participant 'P22' (did you mean 'P2'?); "
        "add it to participants.yml"
    ]


def test_unknown_category_names_the_line_of_the_item(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - id: x
                    text: T.
                    categories:
                      - supervision
                      - peer-suport
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/excerpts/p2.yml:7: unknown category 'peer-suport' (did you mean 'peer-support'?)"
    ]


def test_unknown_parent(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - id: coping
                    name: C
                  - id: peer-support
                    name: P
                    parent: copin
                  - id: supervision
                    name: S
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/categories.yml:6: unknown parent category 'copin' (did you mean 'coping'?)"
    ]


def test_cycles_in_the_tree(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - id: coping
                    name: C
                    parent: supervision
                  - id: peer-support
                    name: P
                    parent: coping
                  - id: supervision
                    name: S
                    parent: peer-support
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/categories.yml:4: categories form a cycle "
        "(coping → supervision → peer-support → coping); give one of them another parent"
    ]


def test_a_category_that_is_its_own_parent(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: C, parent: coping}
                  - {id: peer-support, name: P}
                  - {id: supervision, name: S}
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/categories.yml:2: categories form a cycle (coping → coping); "
        "give one of them another parent"
    ]


@pytest.mark.parametrize("text", ['""', '"   "', "", "|\n      \n"])
def test_empty_excerpt_text(tmp_path: Path, text: str) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": f"""\
participant: P2
excerpts:
  - id: x
    categories: [coping]
    text: {text}
"""
        },
    )
    problems = problems_of(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("codebook/excerpts/p2.yml:5: text: ")
    assert "must not be empty" in problems[0] or "expected text, found nothing" in problems[0]


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": """\
                participant: P2
                excerpts:
                  - id: x
                    categories: [coping]
                    text: T.
                    publsh: false
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/excerpts/p2.yml:6: unknown field 'publsh' in an excerpt (did you mean 'publish'?)"
    ]


def test_duplicate_keys_are_not_silently_merged(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/participants.yml": """\
                participants:
                  - id: P1
                    label: First
                    label: Second
                """
        },
    )
    assert "codebook/participants.yml:4: 'label' is given twice (first on line 3); keep one" in (
        problems_of(tmp_path)
    )


def test_yaml_syntax_error(tmp_path: Path) -> None:
    write_study(
        tmp_path, {"codebook/participants.yml": "participants:\n  - id: P1\n   label: [x\n"}
    )
    (problem,) = problems_of(tmp_path)
    assert problem == (
        "codebook/participants.yml:3: line 3 does not line up with the lines around it: "
        "'label' is 3 spaces in, but 'id' on line 2 is 4 spaces in; indent it by 4 spaces, "
        "as 'id' is"
    )


def test_a_syntax_error_libyaml_words_no_better_keeps_its_words(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/participants.yml": "participants: !!binary [\n"})
    (problem,) = problems_of(tmp_path)
    assert problem.startswith("codebook/participants.yml:2: not valid YAML: ")


def test_tab_indentation_is_explained(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/participants.yml": "participants:\n\t- id: P1\n"})
    (problem,) = problems_of(tmp_path)
    assert problem == (
        "codebook/participants.yml:2: a tab is used for indentation; YAML only allows spaces"
    )


def test_missing_files(tmp_path: Path) -> None:
    write_study(tmp_path)
    (tmp_path / "codebook/participants.yml").unlink()
    assert problems_of(tmp_path) == [
        "codebook/participants.yml: missing file: a study needs participants.yml "
        "(see `qualsite format participants`)"
    ]


def test_missing_codebook_folder(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match="the codebook folder does not exist"):
        load_study(tmp_path / "nowhere")


def test_empty_file(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/study.yml": ""})
    assert problems_of(tmp_path) == [
        "codebook/study.yml: the file is empty; the study's description needs 'title:' and "
        "'authors:' with a list of authors, each with 'name' (see `qualsite format study`)"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    write_study(tmp_path)
    (tmp_path / "codebook/study.yml").write_bytes(b"title: T\nauthors: [{name: Ren\xe9}]\n")
    assert problems_of(tmp_path) == [
        "codebook/study.yml:2: the file is not UTF-8 text; save it with the UTF-8 encoding"
    ]


def test_second_core_category(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: C, core: true}
                  - {id: peer-support, name: P}
                  - id: supervision
                    name: S
                    core: true
                """
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/categories.yml:6: a second core category ('supervision'); 'coping' at "
        "codebook/categories.yml:2 is already the core category"
    ]


def test_reserved_category_id(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {"codebook/categories.yml": "categories:\n  - {id: index, name: I}\n"},
    )
    assert any(
        p.startswith("codebook/categories.yml:2: the category id 'index' is reserved")
        for p in problems_of(tmp_path)
    )


def test_all_mistakes_are_reported_together(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/study.yml": "title: T\nauthors: [{nam: A}]\n",
            "codebook/categories.yml": """\
                categories:
                  - {id: coping, name: C, parent: nothing}
                  - {id: peer-support, name: P}
                  - {id: supervision, name: S}
                """,
            "codebook/excerpts/p2.yml": """\
                participant: P9
                excerpts:
                  - {id: x, categories: [copping], text: T.}
                  - {id: y, categories: [coping], text: ""}
                """,
        },
    )
    problems = problems_of(tmp_path)
    assert problems == [
        "codebook/categories.yml:2: unknown parent category 'nothing'",
        "codebook/excerpts/p2.yml:1: unknown participant 'P9'; add it to participants.yml",
        "codebook/excerpts/p2.yml:3: unknown category 'copping' (did you mean 'coping'?)",
        "codebook/excerpts/p2.yml:4: text: must not be empty",
        "codebook/study.yml:2: unknown field 'nam' in an author (did you mean 'name'?)",
        "codebook/study.yml:2: missing required field 'name' in an author",
    ]


def test_error_report_ends_with_a_count_and_says_nothing_was_built(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/study.yml": "title: T\n"})
    with pytest.raises(StudyError) as raised:
        load_study(tmp_path / "codebook")
    assert str(raised.value).endswith("1 problem found; nothing was built.")


def test_control_characters_are_located_and_named(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": (
                "participant: P2\nexcerpts:\n  - id: x\n"
                "    categories: [coping]\n    text: bell \x07 here\n"
            )
        },
    )
    assert problems_of(tmp_path) == [
        "codebook/excerpts/p2.yml:5: the file holds the control character U+0007, which YAML "
        "does not allow; delete it (it is often pasted in with text from a word processor)"
    ]


def test_merge_keys_are_refused_plainly(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/participants.yml": """\
                base: &base {label: Someone}
                participants:
                  - <<: *base
                    id: P1
                """
        },
    )
    problems = problems_of(tmp_path)
    assert (
        "codebook/participants.yml:3: YAML merge keys (<<) are not supported; write the fields out"
        in problems
    )


def test_messages_about_lists_and_attributes_read_well(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": "categories: null\n",
            "codebook/participants.yml": "participants:\n  - id: P1\n    attributes: {role: [1]}\n",
        },
    )
    problems = problems_of(tmp_path)
    assert (
        "codebook/categories.yml:1: categories: expected a list of categories, found nothing"
        in problems
    )
    assert "codebook/participants.yml:3: attributes.role: expected text, found a list" in problems


def test_a_folder_for_a_single_file_kind_is_warned_about(tmp_path: Path) -> None:
    write_study(tmp_path, {"codebook/study/extra.yml": "title: x\n"})
    problems = Problems()
    load_study(tmp_path / "codebook", problems)
    assert any(
        "codebook/study: warning: qualsite does not read this" in str(w) for w in problems.warnings
    )


def test_serve_keeps_each_parse_until_its_file_changes(tmp_path: Path) -> None:
    from qualsite.yaml_source import read_yaml, remember_parses

    path = tmp_path / "p1.yml"
    path.write_text("participant: P1\n", encoding="utf-8")
    problems = Problems()
    try:
        remember_parses(True)  # as under `mkdocs serve`
        first = read_yaml(path, problems)
        assert read_yaml(path, problems) is first
        path.write_text("participant: P2\n", encoding="utf-8")
        changed = read_yaml(path, problems)
        assert changed is not first and changed is not None and changed.root is not None
        assert changed.root.value[0][1].value == "P2"
        remember_parses(False)  # a one-off build keeps nothing...
        assert read_yaml(path, problems) is not changed
        remember_parses(True)  # ...and forgets what it had
        assert read_yaml(path, problems) is not changed
    finally:
        remember_parses(False)
    assert not problems.errors


def test_serve_reads_again_only_the_excerpt_files_that_changed(tmp_path: Path) -> None:
    from qualsite.study.loader import read_codebook
    from qualsite.yaml_source import remember_parses

    write_study(
        tmp_path,
        {
            # An excerpt with no participant: an error each read must report.
            "codebook/excerpts/p3.yml": "excerpts:\n  - id: p3-a\n    text: Lost.\n",
        },
    )
    codebook = tmp_path / "codebook"

    def read() -> tuple[dict[str, object], list[str]]:
        problems = Problems()
        raw = read_codebook(codebook, problems)
        return {e.id: e for e in raw.excerpts}, [str(p) for p in problems]

    try:
        remember_parses(True)  # as under `mkdocs serve`
        first, first_problems = read()
        again, again_problems = read()
        assert again_problems == first_problems
        assert any("missing required field 'participant'" in p for p in again_problems)
        # The same objects: not read field by field again.
        assert all(again[key] is first[key] for key in first)
        p2 = codebook / "excerpts/p2.yml"
        p2.write_text(p2.read_text().replace("hard cases", "hardest cases"), encoding="utf-8")
        changed, _ = read()
        assert changed["p2-supervision"].text == "I bring the hardest cases to supervision."
        assert changed["p2-supervision"] is not first["p2-supervision"]
        assert changed["p1-peers"] is first["p1-peers"]
        # A file deleted since: nothing of it is kept.
        from qualsite.study import loader
        from qualsite.yaml_source import _PARSED

        (codebook / "excerpts/p3.yml").unlink()
        read()
        assert not any(path.endswith("p3.yml") for path in [*_PARSED, *loader._EXCERPT_FILES])
        (codebook / "excerpts/p3.yml").write_text(
            "excerpts:\n  - id: p3-a\n    text: Lost.\n", encoding="utf-8"
        )
        remember_parses(False)  # a one-off build keeps nothing
        fresh, fresh_problems = read()
        assert fresh == changed and fresh["p1-peers"] is not first["p1-peers"]
        assert fresh_problems == first_problems
    finally:
        remember_parses(False)


@pytest.mark.parametrize(("command", "kept"), [("serve", True), ("build", False)])
def test_the_plugin_keeps_parses_under_serve_only(tmp_path: Path, command: str, kept: bool) -> None:
    from mkdocs.config import load_config

    from qualsite.yaml_source import read_yaml, remember_parses

    root = write_study(tmp_path)
    config = load_config(str(root / "mkdocs.yml"))
    participants = root / "codebook/participants.yml"
    try:
        config.plugins.on_startup(command=command, dirty=False)  # as MkDocs does
        first = read_yaml(participants, Problems())
        assert (read_yaml(participants, Problems()) is first) == kept
    finally:
        remember_parses(False)


@pytest.mark.parametrize("escape", ["\\uFFFE", "\\uFFFF"])
def test_escapes_that_make_no_character_are_refused(tmp_path: Path, escape: str) -> None:
    # Such a "character" loads, but no XML document may hold it: the Word
    # and REFI-QDA downloads would be published unreadable.
    write_study(
        tmp_path,
        {
            "codebook/excerpts/p2.yml": (
                "participant: P2\nexcerpts:\n  - id: x\n"
                f'    categories: [coping]\n    text: "I bring{escape} the hard cases"\n'
            )
        },
    )
    code = escape[2:].upper()
    assert problems_of(tmp_path) == [
        f"codebook/excerpts/p2.yml:5: text: holds U+{code}, which is not a character (an "
        "escape such as \\uFFFE in quotes makes it); delete it"
    ]

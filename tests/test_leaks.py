"""Leak attempts: one test per road a deny-listed name can take into a site.

Each road is tried as a careless researcher or an attacker would: a name
in another Unicode form, split by markup, written with an entity, in a
field of ``study.yml`` or ``mkdocs.yml``, in an id, a copied file, a
snippet, a template, the figure, or supplied by the environment so that
only the output gate can see it. Each test asserts that

(a) the build stops (``build_site`` raises ``Abort``, ``qualsite build``
    exits 1),
(b) no message holds the identifier, in any case or form,
(c) a message names the right file (and line, where the field checks give
    one) and the line of the deny-list, and
(d) no output file holds it: under plain MkDocs the site folder keeps only
    the dot-entries it had before, and ``qualsite build`` leaves the old
    site as it was, with no staging folder left behind.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from helpers import (
    MINIMAL_STUDY,
    REPO,
    build_site,
    html_pages,
    main_text,
    run_qualsite,
    write_study,
)
from qualsite.errors import Problems, StudyError
from qualsite.guard.denylist import DenyList, load_deny_list
from qualsite.guard.gate import GatePolicy, gate_files, gate_folder
from qualsite.guard.normalise import fold_for_names, fold_for_patterns
from qualsite.guard.patterns import PATTERN_KINDS
from qualsite.site import SiteSettings, prepare_site
from qualsite.yaml_source import MAX_ALIAS_CHARACTERS, MAX_ALIAS_CHARACTERS_IN_ALL

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

#: Every identifier's distinctive word, as folded: none may ever be printed.
NAME_WORDS = ("oakwood", "ashcombe", "brackley")

#: The pre-existing entry of a site folder that MkDocs leaves alone (a
#: gh-pages checkout); nothing else may be there after a failed build.
KEPT = ".git"

GATE = "qualsite's last check read what the site would publish"


@pytest.fixture(autouse=True)
def deny_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The study's deny-list, outside the study's folder."""
    path = tmp_path / "deny-list.txt"
    path.write_text(DENY_LIST, encoding="utf-8")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(path))
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "study"


def _deny(path: Path) -> DenyList:
    deny = load_deny_list(path, Problems())
    assert deny is not None
    return deny


# -- what every test checks ----------------------------------------------------------


def assert_no_identifier(text: str, deny_list: Path | None = None) -> None:
    """The text holds no identifier: not as written, not in lower case, not
    folded (accents, invisible characters, look-alikes, width), not with its
    separators squeezed out, not reversed (a right-to-left override)."""
    lowered = text.lower()
    folded = fold_for_names(text)
    squeezed = re.sub(r"[\W_]+", "", folded)
    for form in (lowered, folded, squeezed):
        for word in NAME_WORDS:
            assert word not in form, f"{word!r} was printed"
            assert word[::-1] not in form, f"{word!r} was printed reversed"
    if deny_list is not None:
        assert _deny(deny_list).find(text) == []


def file_texts(folder: Path) -> Mapping[Path, str]:
    return {
        path: path.read_bytes().decode("utf-8", "replace")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_site_holds_only_what_was_there(site: Path, deny_list: Path | None) -> None:
    """Nothing of this build is in the site folder: only the dot-entry put
    there before it (MkDocs' clean_directory keeps dot-entries)."""
    assert sorted(p.name for p in site.iterdir()) == [KEPT]
    for text in file_texts(site).values():
        assert_no_identifier(text, deny_list)


def failed_build(
    root: Path, caplog: pytest.LogCaptureFixture, deny_list: Path | None, **overrides: object
) -> str:
    """Build in this process, expecting it to stop; check (a), (b) and (d)
    and return the log for (c)."""
    caplog.set_level(logging.INFO)
    site = root / "site"
    (site / KEPT).mkdir(parents=True, exist_ok=True)
    (site / KEPT / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(root, **overrides)
    log = caplog.text
    assert_no_identifier(log, deny_list)
    assert_site_holds_only_what_was_there(site, deny_list)
    return log


def assert_reported(log: str, where: str, deny_list: Path, deny_line: int) -> None:
    """A line of the log names ``where`` (a file, or file:line: what) and the
    deny-list's line."""
    named = f"(line {deny_line} of {deny_list.as_posix()})"
    lines = [line for line in log.splitlines() if where in line and named in line]
    assert lines, f"no message names {where!r} with {named!r}:\n{log}"


def assert_gate_reported(log: str, output: str, deny_list: Path, deny_line: int) -> None:
    """The output gate stopped the build, naming the output file (the first,
    by path, of those that hold what it found) and the deny-list's line."""
    assert GATE in log, log
    assert_reported(log, f"  {output}:", deny_list, deny_line)
    assert_gate_lines_are_lines(log)


def assert_gate_lines_are_lines(log: str) -> None:
    """A line number the gate gives is a line of the file (1 or more)."""
    for path, line in re.findall(r"^\s+(\S+?):(-?\d+): ", log, re.MULTILINE):
        assert int(line) >= 1, f"{path}:{line}"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def old_site(root: Path) -> dict[str, bytes]:
    """A site from an earlier build, which a failed `qualsite build` must keep."""
    site = root / "site"
    (site / "categories").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text("<p>the last good build</p>\n", encoding="utf-8")
    (site / "categories" / "index.html").write_text("<p>old</p>\n", encoding="utf-8")
    return snapshot(site)


def assert_cli_kept_the_old_site(
    root: Path, result: subprocess.CompletedProcess[str], before: Mapping[str, bytes]
) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert_no_identifier(output)
    assert snapshot(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []
    return output


# -- the study -------------------------------------------------------------------------

PAGE_LINE = 3  # the line of content/index.md that holds the text under test


def page(text: str) -> str:
    return f"# Home\n\nThanks to {text} for the help.\n"


MKDOCS_WITH = """\
site_name: Test study
docs_dir: content
theme:
  name: material
  font: false
{theme}plugins:
  - search
{plugins}  - qualsite{options}
{rest}"""


def mkdocs_yml(*, theme: str = "", plugins: str = "", options: str = "", rest: str = "") -> str:
    return MKDOCS_WITH.format(theme=theme, plugins=plugins, options=options, rest=rest)


# -- Unicode forms, split markup and entities in a page ------------------------------------

PAGE_DISGUISES = [
    pytest.param("Zoe\u0308 Ashcombe", ZOE, id="decomposed-text"),
    pytest.param("No\u00ebl Brackley", NOEL, id="decomposed-entry"),
    pytest.param("Oak\u00adwood", OAKWOOD, id="soft-hyphen"),
    pytest.param("Oak\u200bwood", OAKWOOD, id="zero-width-space"),
    pytest.param("Oak\u2060wood", OAKWOOD, id="word-joiner"),
    pytest.param("\uff2f\uff41\uff4b\uff57\uff4f\uff4f\uff44", OAKWOOD, id="fullwidth"),
    pytest.param("\u041eakwood", OAKWOOD, id="cyrillic-letter"),
    pytest.param("No\u00ebl \u0412rackley", NOEL, id="cyrillic-capital-ve-for-b"),
    pytest.param("\u202edoowkaO\u202c", OAKWOOD, id="right-to-left-override"),
    pytest.param("Oak**wood**", OAKWOOD, id="markdown-emphasis"),
    pytest.param("Oak<b>wood</b>", OAKWOOD, id="html-bold"),
    pytest.param("&#79;akwood", OAKWOOD, id="character-entity"),
    pytest.param("Oak<!-- -->wood", OAKWOOD, id="html-comment"),
]


@pytest.mark.parametrize(("disguised", "deny_line"), PAGE_DISGUISES)
def test_a_disguised_name_in_a_page_stops_the_build(
    disguised: str,
    deny_line: int,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, {"content/index.md": page(disguised)})
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, f"content/index.md:{PAGE_LINE}: the page", deny_list, deny_line)


# -- mkdocs.yml ---------------------------------------------------------------------------


CONFIG_ROADS = [
    pytest.param(
        {"mkdocs.yml": mkdocs_yml().replace("site_name: Test study", "site_name: Oakwood study")},
        1,
        OAKWOOD,
        id="site_name",
    ),
    pytest.param(
        {"mkdocs.yml": mkdocs_yml(rest="copyright: Copyright Oakwood Trust\n")},
        9,
        OAKWOOD,
        id="copyright",
    ),
    pytest.param(
        {
            "mkdocs.yml": mkdocs_yml(rest="nav:\n  - Home: index.md\n  - Jane Oakwood: about.md\n"),
            "content/about.md": "# About\n\nAbout the study.\n",
        },
        11,
        JANE,
        id="nav-title",
    ),
    pytest.param(
        {
            "mkdocs.yml": mkdocs_yml(
                plugins="  - macros\n", rest="extra:\n  contact: Jane Oakwood\n"
            ),
            "content/index.md": "# Home\n\nWrite to {{ contact }}.\n",
        },
        11,
        JANE,
        id="extra-printed-by-macros",
    ),
]


@pytest.mark.parametrize(("changes", "line", "deny_line"), CONFIG_ROADS)
def test_a_name_in_mkdocs_yml_stops_the_build(
    changes: dict[str, str],
    line: int,
    deny_line: int,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    where = f"mkdocs.yml:{line}: a value in the site's configuration"
    assert_reported(log, where, deny_list, deny_line)


def test_a_value_only_the_environment_supplies_is_stopped_by_the_output_gate(
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # mkdocs.yml holds no name, only !ENV: the field checks cannot see it.
    monkeypatch.setenv("QS_LEAK_COPYRIGHT", "Copyright Oakwood Trust")
    write_study(root, {"mkdocs.yml": mkdocs_yml(rest="copyright: !ENV QS_LEAK_COPYRIGHT\n")})
    log = failed_build(root, caplog, deny_list)
    # The copyright is in every page's footer; 404.html is the first of them.
    assert_gate_reported(log, "404.html", deny_list, OAKWOOD)


# -- study.yml ----------------------------------------------------------------------------

STUDY = """\
title: A test study
authors:
  - name: A. Researcher
    affiliation: University of Somewhere
"""

STUDY_ROADS = [
    pytest.param('version: "1.0 Oakwood"\n', 5, "the study's version", id="version"),
    pytest.param("doi: 10.5281/oakwood.123\n", 5, "the study's doi", id="doi"),
    pytest.param("url: https://example.org/oakwood/\n", 5, "the study's url", id="url"),
    pytest.param(
        "site_authors:\n  - name: B. Maker\n    affiliation: Oakwood Hospital\n",
        6,
        "an author's affiliation",
        id="site-author-affiliation",
    ),
]


@pytest.mark.parametrize(("addition", "line", "what"), STUDY_ROADS)
def test_a_name_in_a_field_of_study_yml_stops_the_build(
    addition: str,
    line: int,
    what: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, {"codebook/study.yml": STUDY + addition})
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, f"codebook/study.yml:{line}: {what}", deny_list, OAKWOOD)


def test_a_name_in_an_authors_affiliation_stops_the_build(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    study = STUDY.replace("University of Somewhere", "Oakwood Hospital")
    write_study(root, {"codebook/study.yml": study})
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, "codebook/study.yml:3: an author's affiliation", deny_list, OAKWOOD)


def test_a_name_among_the_site_authors_stops_the_build(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(root, {"codebook/study.yml": STUDY + "site_authors:\n  - name: Jane Oakwood\n"})
    log = failed_build(root, caplog, deny_list)
    expected = (
        f"codebook/study.yml:6: line {JANE} of {deny_list.as_posix()} is (part of) this "
        "author's name"
    )
    assert expected in log


# -- ids: they become addresses, anchors, SVG ids and the DOT download -----------------------

CATEGORY_WITH_ID = """\
categories:
  - {id: coping, name: Coping, level: phase}
  - {id: peer-support, parent: coping, name: Peer support}
  - {id: supervision, parent: coping, name: Supervision}
  - id: oakwood
    parent: coping
    name: Another
"""

EXCERPT_WITH_ID = """\
participant: P2
excerpts:
  - id: p2-oakwood
    categories: supervision
    text: I bring the hard cases to supervision.
"""

PARTICIPANT_WITH_ID = """\
participants:
  - id: P1
    label: Participant 1
  - id: Oakwood
    label: Participant 2
"""

ID_ROADS = [
    pytest.param(
        {"codebook/categories.yml": CATEGORY_WITH_ID},
        "codebook/categories.yml:5: a category's id",
        id="category",
    ),
    pytest.param(
        {"codebook/excerpts/p2.yml": EXCERPT_WITH_ID},
        "codebook/excerpts/p2.yml:3: an excerpt's id",
        id="excerpt",
    ),
    pytest.param(
        {
            "mkdocs.yml": mkdocs_yml(options=":\n      participant_pages: true"),
            "codebook/participants.yml": PARTICIPANT_WITH_ID,
            "codebook/excerpts/p2.yml": EXCERPT_WITH_ID.replace("P2", "Oakwood").replace(
                "p2-oakwood", "p2-cases"
            ),
        },
        "codebook/participants.yml:4: a participant's id",
        id="participant",
    ),
]


@pytest.mark.parametrize(("changes", "where"), ID_ROADS)
def test_a_name_as_an_id_stops_the_build(
    changes: dict[str, str],
    where: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, where, deny_list, OAKWOOD)


# -- the figure ---------------------------------------------------------------------------

#: The minimal study's excerpts, marked as paraphrases (a study of invented text).
PARAPHRASED = {
    path: MINIMAL_STUDY[path].replace(
        "        excerpts:", "        kind: paraphrase\n        excerpts:", 1
    )
    for path in ("codebook/excerpts/p1.yml", "codebook/excerpts/p2.yml")
}


MODEL = """\
title: Model
nodes:
  - {category: peer-support}
  - {id: resilience, label: Resilience}
edges:
  - {from: peer-support, to: resilience}
"""

FIGURE_ROADS = [
    pytest.param(
        MODEL.replace("id: resilience", "id: oakwood").replace("to: resilience", "to: oakwood"),
        "codebook/model.yml:4: the figure: a node's id",
        id="node-id",
    ),
    pytest.param(
        MODEL.replace("label: Resilience", "label: Oakwood"),
        "codebook/model.yml:4: the figure: a node's label",
        id="node-label",
    ),
]


@pytest.mark.parametrize(("model", "where"), FIGURE_ROADS)
def test_a_name_in_the_figure_stops_the_build(
    model: str, where: str, root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(root, {"codebook/model.yml": model})
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, where, deny_list, OAKWOOD)


@pytest.mark.parametrize(("model", "where"), FIGURE_ROADS)
def test_the_output_gate_finds_a_figures_name_in_the_svg_the_dot_and_the_inline_figure(
    model: str,
    where: str,
    root: Path,
    deny_list: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Built with no deny-list (so the field checks pass), then read by the
    # gate as a build with one would be: every form of the figure is found.
    monkeypatch.delenv("QUALSITE_DENY_LIST")
    options = ":\n      deny_list_waiver: testing the gate alone"
    files = {"codebook/model.yml": model, "mkdocs.yml": mkdocs_yml(options=options)}
    write_study(root, {**files, **PARAPHRASED})
    site = build_site(root)
    policy = GatePolicy(_deny(deny_list))
    named = f"an identifier from the deny-list (line {OAKWOOD} of {deny_list.as_posix()})"
    # The gate names a text repeated in several files where it first meets
    # it; each form of the figure, read alone, is found.
    for form in ("figures/figure-1.svg", "figures/figure-1.dot", "model/index.html"):
        report = gate_files([(form, (site / form).read_bytes())], policy)
        assert any(named in finding.message for finding in report.findings), form
        for finding in report.findings:
            assert_no_identifier(str(finding))
    assert gate_folder(site, policy).findings


def test_an_entity_in_a_figure_label_is_drawn_as_typed(root: Path, deny_list: Path) -> None:
    # Graphviz decodes entities in labels: "&#79;akwood" would be drawn
    # "Oakwood" in the SVG, the PDF and the inline figure. Escaped, it is
    # drawn as typed, so neither the field checks nor the gate have a name.
    model = MODEL.replace("label: Resilience", 'label: "&#79;akwood &amp; co"')
    write_study(root, {"codebook/model.yml": model})
    site = build_site(root)
    svg = (site / "figures/figure-1.svg").read_text(encoding="utf-8")
    assert "&amp;#79;akwood &amp;amp; co" in svg
    for path, text in file_texts(site).items():
        assert "oakwood" not in text.lower(), path


# -- files of docs_dir --------------------------------------------------------------------

FILE_ROADS = [
    pytest.param(
        {"content/notes.txt": "Notes for readers.\nAsk Jane Oakwood.\n"},
        "content/notes.txt:2: the file",
        JANE,
        id="text-file",
    ),
    pytest.param(
        {
            "content/diagram.svg": (
                '<svg xmlns="http://www.w3.org/2000/svg">\n'
                "<text>Oak<tspan>wood</tspan></text>\n</svg>\n"
            )
        },
        "content/diagram.svg:2: the file",
        OAKWOOD,
        id="svg-file",
    ),
    pytest.param(
        {"content/oakwood.md": "# Visits\n\nWhere we went.\n"},
        "the file's name holds",
        OAKWOOD,
        id="page-file-name",
    ),
]


@pytest.mark.parametrize(("changes", "where", "deny_line"), FILE_ROADS)
def test_a_name_in_a_file_of_docs_dir_stops_the_build(
    changes: dict[str, str],
    where: str,
    deny_line: int,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, where, deny_list, deny_line)


def test_a_name_only_in_a_links_address_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Percent-encoded, the address holds no name the field checks can read;
    # the page is left out of the navigation (so not on the Print page) and
    # its address sorts first among the site's files.
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(rest="not_in_nav: |\n  /0-notes.md\n"),
            "content/0-notes.md": (
                "# Notes\n\nSee [the profile](https://example.org/people/oak%77ood/).\n"
            ),
        },
    )
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "0-notes/index.html", deny_list, OAKWOOD)


@pytest.mark.parametrize("bold", [False, True], ids=["plain-runs", "a-bold-run"])
def test_a_name_in_a_word_file_in_docs_dir_is_stopped_by_the_output_gate(
    bold: bool, root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A consent form or interview guide, copied into the site as it is; Word
    # splits a paragraph into runs wherever the formatting changes.
    import docx

    write_study(root)
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Interview guide for the Oak")
    middle = paragraph.add_run("wo")
    if bold:
        middle.bold = True
    paragraph.add_run("od ward.")
    document.save(str(root / "content/guide.docx"))
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "guide.docx!/word/document.xml", deny_list, OAKWOOD)


def test_a_snippet_from_outside_docs_dir_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    snippets = root / "snippets"
    rest = (
        "markdown_extensions:\n  - pymdownx.snippets:\n"
        f"      base_path: [{snippets.as_posix()}]\n      check_paths: true\n"
    )
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(rest=rest),
            "snippets/thanks.md": "With thanks to Jane Oakwood.\n",
            "content/index.md": '# Home\n\n--8<-- "thanks.md"\n',
        },
    )
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "index.html", deny_list, JANE)


# -- templates ---------------------------------------------------------------------------

FOOTER_OVERRIDE = """\
{{% extends "base.html" %}}
{{% block footer %}}
<p class="thanks">{text}</p>
{{{{ super() }}}}
{{% endblock %}}
"""


def write_footer_study(root: Path, text: str, *, theme: str = "") -> None:
    """A study whose theme override prints ``text`` in every page's footer
    (``theme``: more settings under the theme)."""
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(theme=f"  custom_dir: overrides\n{theme}"),
            "overrides/main.html": FOOTER_OVERRIDE.format(text=text),
        },
    )


def test_a_name_in_a_study_template_override_stops_the_build(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shipped = (REPO / "site_templates/category.md.j2").read_text(encoding="utf-8")
    line = shipped.count("\n") + 2
    write_study(root, {"site_templates/category.md.j2": shipped + "\nWith Jane Oakwood.\n"})
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, f"site_templates/category.md.j2:{line}: the template", deny_list, JANE)


def test_a_name_in_the_themes_custom_dir_stops_the_build(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_footer_study(root, "Thanks to Oakwood")
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, "overrides/main.html:3: the template", deny_list, OAKWOOD)


def test_a_name_split_by_template_code_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # No file holds the name whole: only the rendered page does.
    write_footer_study(root, 'Thanks to Oak{{ "" }}wood')
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "404.html", deny_list, OAKWOOD)


def test_a_template_file_named_after_a_name_stops_the_build_without_printing_its_path(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(theme="  custom_dir: overrides\n"),
            "overrides/partials/oakwood.html": "<p>Thanks.</p>\n",
        },
    )
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, "the template file's name holds", deny_list, OAKWOOD)


def test_a_name_a_theme_script_writes_with_an_escape_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The template holds "Oak\u0077ood"; every page shows "Oakwood".
    script = '<script>document.write("Oak\\u0077ood")</script>'
    write_footer_study(root, script)
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "404.html", deny_list, OAKWOOD)


def test_a_name_a_script_in_docs_dir_writes_with_an_escape_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A script of some length, the name near its top, written with an escape
    # (so that the field checks, which read the file as it is, miss it).
    code = "".join(f"var step{n} = {n};\n" for n in range(60))
    script = '// Thanks\ndocument.write("Thanks to \\u004fakwood");\n' + code
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(rest="extra_javascript: [thanks.js]\n"),
            "content/thanks.js": script,
        },
    )
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "thanks.js", deny_list, OAKWOOD)


@pytest.mark.parametrize(
    ("declaration", "read_as"),
    [
        # CSS escapes: the stylesheet holds "Oak\77ood"; every page shows "Oakwood".
        pytest.param('content: "Thanks to Oak\\77ood";', "its code", id="escape"),
        # CSS joins a declaration's strings: no string holds the name.
        pytest.param(
            'content: "Thanks to Oak" "wood";', "the text a stylesheet in it draws", id="joined"
        ),
    ],
)
def test_a_name_a_stylesheet_in_docs_dir_draws_is_stopped_by_the_output_gate(
    declaration: str,
    read_as: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(rest="extra_css: [thanks.css]\n"),
            "content/thanks.css": f".md-footer::after {{ {declaration} }}\n",
        },
    )
    log = failed_build(root, caplog, deny_list)
    assert_gate_reported(log, "thanks.css", deny_list, OAKWOOD)
    assert f"{read_as} holds" in log


def test_qualsite_build_keeps_the_old_site_when_the_output_gate_stops_it(
    root: Path, deny_list: Path
) -> None:
    write_footer_study(root, 'Thanks to Oak{{ "" }}wood')
    before = old_site(root)
    result = run_qualsite("build", "--strict", cwd=root)
    output = assert_cli_kept_the_old_site(root, result, before)
    assert GATE in output
    assert_reported(output, "  404.html:", deny_list, OAKWOOD)
    assert "the site already in site/ is unchanged" in output


# -- dirty builds, the codebook and copies of it ---------------------------------------------


def test_a_dirty_build_is_refused(root: Path, deny_list: Path) -> None:
    # The first build publishes P3's page; once P3 is withdrawn, a dirty
    # build would keep that page and P3 in the navigation of other pages.
    write_study(root, {"mkdocs.yml": mkdocs_yml(options=":\n      participant_pages: true")})
    build_site(root)
    assert (root / "site/participants/p3/index.html").is_file()
    before = snapshot(root / "site")
    participants = root / "codebook/participants.yml"
    participants.write_text(
        participants.read_text(encoding="utf-8").replace(
            "label: Participant 3", "label: Participant 3\n    withdrawn: true"
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--dirty", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "qualsite does not build with --dirty" in result.stderr
    assert_no_identifier(result.stdout + result.stderr)
    assert snapshot(root / "site") == before


CODEBOOK_IN_DOCS = {
    "mkdocs.yml": mkdocs_yml(options=":\n      codebook: content/codebook"),
    **{
        path.replace("codebook/", "content/codebook/"): text
        for path, text in MINIMAL_STUDY.items()
        if path.startswith("codebook/")
    },
    "codebook/study.yml": None,
    "codebook/participants.yml": None,
    "codebook/categories.yml": None,
    "codebook/excerpts/p1.yml": None,
    "codebook/excerpts/p2.yml": None,
}
CODEBOOK_IN_DOCS_MESSAGE = "content/codebook: the codebook is inside the pages folder (docs_dir)"


def test_a_codebook_inside_docs_dir_is_an_error(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(root, CODEBOOK_IN_DOCS)
    log = failed_build(root, caplog, deny_list)
    assert CODEBOOK_IN_DOCS_MESSAGE in log


def test_qualsite_check_and_build_refuse_a_codebook_inside_docs_dir(root: Path) -> None:
    write_study(root, CODEBOOK_IN_DOCS)
    check = run_qualsite("check", "--strict", cwd=root)
    assert check.returncode != 0
    assert CODEBOOK_IN_DOCS_MESSAGE in check.stdout + check.stderr
    before = old_site(root)
    result = run_qualsite("build", "--strict", cwd=root)
    output = assert_cli_kept_the_old_site(root, result, before)
    assert CODEBOOK_IN_DOCS_MESSAGE in output


def test_a_copy_of_a_codebook_file_in_docs_dir_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(root)
    participants = (root / "codebook/participants.yml").read_bytes()
    (root / "content/data").mkdir()
    (root / "content/data/people.txt").write_bytes(participants)
    log = failed_build(root, caplog, deny_list)
    assert GATE in log
    copy = "  data/people.txt: it is a copy of "
    assert any(copy in line and "codebook/participants.yml" in line for line in log.splitlines())


# -- the deny-list fails closed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "the deny-list holds no identifier", id="empty-file"),
        pytest.param(
            "# names go here\n\n   \n# none yet\n",
            "the deny-list holds no identifier",
            id="comments-only",
        ),
        pytest.param(None, "the deny-list is a folder", id="a-folder"),
    ],
)
def test_a_deny_list_that_checks_nothing_is_an_error(
    content: str | None,
    message: str,
    root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "names.txt"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("QUALSITE_DENY_LIST", str(path))
    write_study(root)
    # An error even when not strict: never an unchecked build.
    log = failed_build(root, caplog, None, strict=False)
    assert f"{path.as_posix()}: {message}" in log


def test_an_empty_deny_list_variable_is_an_error(
    root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("QUALSITE_DENY_LIST", "")
    write_study(root, {"mkdocs.yml": mkdocs_yml(options=":\n      deny_list: ../deny-list.txt")})
    log = failed_build(root, caplog, None, strict=False)
    assert "QUALSITE_DENY_LIST is set but empty" in log


def test_a_strict_build_without_a_deny_list_stops_and_says_so(
    root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("QUALSITE_DENY_LIST")
    write_study(root)
    log = failed_build(root, caplog, None)
    assert "no deny-list was given, so real names, places and services were not checked" in log


def test_a_build_without_a_deny_list_says_so_when_not_strict(
    root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.delenv("QUALSITE_DENY_LIST")
    write_study(root)
    build_site(root, strict=False)
    assert "no deny-list was given" in caplog.text


def test_a_deny_list_waiver_lets_a_strict_build_of_invented_text_through(
    root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    monkeypatch.delenv("QUALSITE_DENY_LIST")
    options = ":\n      deny_list_waiver: the excerpts are invented for a demonstration"
    write_study(root, {"mkdocs.yml": mkdocs_yml(options=options), **PARAPHRASED})
    site = build_site(root)
    assert (site / "index.html").is_file()
    assert "built without a deny-list: the excerpts are invented" in caplog.text


def test_a_deny_list_waiver_does_not_cover_a_participants_words(
    root: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A study copied from the example keeps its waiver; verbatim excerpts
    # show that it is a study of real people, which needs a deny-list.
    monkeypatch.delenv("QUALSITE_DENY_LIST")
    options = ":\n      deny_list_waiver: the excerpts are invented for a demonstration"
    write_study(root, {"mkdocs.yml": mkdocs_yml(options=options)})
    site = root / "site"
    with pytest.raises(Abort):
        build_site(root)
    assert (
        "mkdocs.yml: warning: deny_list_waiver says this study has no real identifier to "
        "deny, but 3 of its excerpts are verbatim"
    ) in caplog.text
    assert not site.exists() or not any(site.iterdir())


@pytest.mark.parametrize("waiver", [False, True], ids=["no-waiver", "with-waiver"])
def test_deny_list_required_makes_no_deny_list_an_error(
    waiver: bool,
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("QUALSITE_DENY_LIST")
    options = ":\n      deny_list_required: true"
    if waiver:
        options += "\n      deny_list_waiver: the excerpts are invented"
    write_study(root, {"mkdocs.yml": mkdocs_yml(options=options)})
    log = failed_build(root, caplog, None, strict=False)
    assert "no deny-list was given" in log and "deny_list_required is set" in log
    if waiver:
        assert "deny_list_waiver cannot stand in for a deny-list" in log


# -- unreviewed text -------------------------------------------------------------------------

UNREVIEWED_EXCERPT = """\
participant: P2
excerpts:
  - id: p2-supervision
    categories: supervision
    reviewed: false
    text: I bring the hard cases to supervision.
"""

UNREVIEWED_MEMO = """\
categories:
  - {id: coping, name: Coping, level: phase}
  - {id: peer-support, parent: coping, name: Peer support}
  - id: supervision
    parent: coping
    name: Supervision
    memo:
      - A reviewed memo.
      - {text: An imported code note., reviewed: false}
"""

UNREVIEWED = [
    pytest.param(
        {"codebook/excerpts/p2.yml": UNREVIEWED_EXCERPT},
        "codebook/excerpts/p2.yml:5: ",
        "1 excerpt in this file is not yet reviewed",
        id="excerpt",
    ),
    pytest.param(
        {"codebook/categories.yml": UNREVIEWED_MEMO},
        "codebook/categories.yml:9: ",
        "1 memo in this file is not yet reviewed",
        id="memo",
    ),
]


@pytest.mark.parametrize(("changes", "where", "message"), UNREVIEWED)
def test_unreviewed_text_stops_a_strict_build(
    changes: dict[str, str],
    where: str,
    message: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    assert where + message in log  # an error: no "warning: " between them


@pytest.mark.parametrize(("changes", "where", "message"), UNREVIEWED)
def test_unreviewed_text_is_a_warning_when_not_strict(
    changes: dict[str, str],
    where: str,
    message: str,
    root: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    site = build_site(root, strict=False)
    assert (site / "index.html").is_file()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"{where}warning: {message}" in w for w in warnings), warnings


def test_a_draft_builds_with_unreviewed_text_and_says_so_on_every_page(root: Path) -> None:
    write_study(
        root,
        {
            "codebook/study.yml": STUDY + "draft: true\n",
            "codebook/excerpts/p2.yml": UNREVIEWED_EXCERPT,
            "codebook/categories.yml": UNREVIEWED_MEMO,
        },
    )
    site = build_site(root)
    pages = list(html_pages(site))
    assert len(pages) >= 6 and site / "404.html" in pages
    for path in pages:
        assert "This site is a draft" in main_text(path), path


# -- messages never echo an identifier -------------------------------------------------------

ECHO_ROADS = [
    pytest.param(
        {
            "codebook/participants.yml": (
                "participants:\n  - id: P1\n  - id: P2\n  - id: Jane Oakwood\n"
            )
        },
        "codebook/participants.yml:4",
        id="participant-id-with-a-space",
    ),
    pytest.param(
        {
            "codebook/excerpts/p2.yml": UNREVIEWED_EXCERPT.replace(
                "    reviewed: false\n", ""
            ).replace("categories: supervision", "categories: [oakwood]")
        },
        "codebook/excerpts/p2.yml:4",
        id="unknown-category",
    ),
    pytest.param(
        {
            "codebook/participants.yml": (
                "participants:\n  - id: P1\n  - id: P2\n    attributes:\n"
                "      Oakwood: seconded there\n"
            )
        },
        "codebook/participants.yml:5",
        id="attribute-name",
    ),
]


@pytest.mark.parametrize(("changes", "where"), ECHO_ROADS)
def test_messages_never_echo_an_identifier_even_when_quoting_a_value(
    changes: dict[str, str],
    where: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    assert f"{where}: " in log


# -- personal data ----------------------------------------------------------------------------

PATTERN_ROADS = [
    pytest.param("1985-03-12", "date", id="iso-date"),
    pytest.param("+1 (555) 123-4567", "phone", id="international-phone"),
    pytest.param("07700.900.123", "phone", id="dotted-phone"),
    pytest.param("943.476.5919", "nhs-number", id="dotted-nhs-number"),
    pytest.param("SW1A  1AA", "postcode", id="postcode-two-spaces"),
    pytest.param("SW1A\u00a01AA", "postcode", id="postcode-no-break-space"),
    pytest.param("EC1A-1BB", "postcode", id="postcode-hyphen"),
    pytest.param("jane\uff20nhs.net", "email", id="fullwidth-at"),
    pytest.param("x.org/jane", "url", id="bare-domain-with-path"),
]


@pytest.mark.parametrize(("sample", "kind"), PATTERN_ROADS)
def test_personal_data_in_an_excerpt_is_found_at_its_line_and_never_printed(
    sample: str,
    kind: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    excerpt = UNREVIEWED_EXCERPT.replace("    reviewed: false\n", "").replace(
        "I bring the hard cases to supervision.", f"They said {sample} to me."
    )
    write_study(root, {"codebook/excerpts/p2.yml": excerpt})
    log = failed_build(root, caplog, deny_list)
    description = next(k.description for k in PATTERN_KINDS if k.name == kind)
    assert f"codebook/excerpts/p2.yml:5: an excerpt's text holds what looks like {description}" in (
        log
    )
    for form in (sample, fold_for_patterns(sample), " ".join(fold_for_patterns(sample).split())):
        assert form.lower() not in log.lower()


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        pytest.param(
            {
                "codebook/participants.yml": (
                    "participants:\n  - id: P1\n  - id: P2\n    label: Ring 07700 900123\n"
                )
            },
            "codebook/participants.yml:4: ",
            id="participant-label",
        ),
        pytest.param(
            {
                "codebook/categories.yml": UNREVIEWED_MEMO.replace(
                    "{text: An imported code note., reviewed: false}", "Ring 07700 900123."
                )
            },
            "codebook/categories.yml:9: ",
            id="memo",
        ),
    ],
)
def test_advice_on_personal_data_outside_excerpts_does_not_offer_allow(
    changes: dict[str, str],
    where: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Only an excerpt accepts 'allow:'; elsewhere the advice is to redact.
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    lines = [line for line in log.splitlines() if where in line]
    assert lines and all("looks like a phone number" in line for line in lines), log
    assert not any("allow" in line for line in lines), lines
    assert "900123" not in log


def test_personal_data_that_only_a_template_writes_is_stopped_by_the_output_gate(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_footer_study(root, 'Call 07700 {{ "900" }}123')
    log = failed_build(root, caplog, deny_list)
    assert GATE in log
    assert re.search(r"^  404\.html\S*: .*holds what looks like a phone number", log, re.M), log
    assert_gate_lines_are_lines(log)
    assert "900123" not in log


# -- files that would replace qualsite's own ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param(
            "content/print.md",
            "content/print.md: this file would be published at print/index.html",
            id="print-page",
        ),
        pytest.param(
            "content/assets/qualsite/qualsite.css",
            "content/assets/qualsite/qualsite.css: this file would be published under "
            "assets/qualsite/",
            id="stylesheet",
        ),
    ],
)
def test_a_file_that_would_replace_qualsites_own_is_refused(
    path: str,
    message: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, {path: "# Mine\n\nHello.\n"})
    log = failed_build(root, caplog, deny_list)
    assert message in log


# -- archives of docs_dir the gate cannot read -------------------------------------------------


SIGNED_FORM = ("forms/Jane Oakwood.txt", b"Signed by Jane Oakwood.\n")


def a_zip_that_cannot_be_read(how: str) -> bytes:
    """A zip of one entry, named after a participant, that no reader can
    unpack: password-protected (bit 0 of its flags, "encrypted", set in its
    local and central headers: Python's zipfile writes no encrypted entries
    of its own), with a byte changed (so its CRC fails), with a local header
    that disagrees with the central directory, or packed with a compression
    method Python cannot unpack (93, Zstandard)."""
    member, data = SIGNED_FORM
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # stored: the entry's bytes as written
        archive.writestr(member, data)
    raw = bytearray(buffer.getvalue())
    local, central = raw.index(b"PK\x03\x04"), raw.index(b"PK\x01\x02")
    if how == "encrypted":
        raw[local + 6] |= 0x01
        raw[central + 8] |= 0x01
    elif how == "bad-crc":
        raw[raw.index(data)] ^= 0x20
    elif how == "header-disagrees":
        raw[local + 26] += 1  # the local header's name runs one byte longer
    elif how == "unknown-compression":
        raw[local + 8] = raw[central + 10] = 93
    return bytes(raw)


#: Where a finding names the entry of the zip: its name is cut out.
ENTRY = "consent.zip!/forms/[…].txt: "


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        pytest.param(
            "content/consent.zip",
            a_zip_that_cannot_be_read("encrypted"),
            ENTRY + "cannot be checked: it is encrypted",
            id="encrypted-zip",
        ),
        pytest.param(
            "content/data/notes.txt.gz",
            b"\x1f\x8b\x08\x00 this is no deflate stream at all",
            "data/notes.txt.gz!/notes.txt: cannot be checked: it is damaged",
            id="damaged-gzip",
        ),
        pytest.param(
            "content/consent.zip",
            a_zip_that_cannot_be_read("bad-crc"),
            ENTRY + "cannot be",
            id="zip-entry-with-a-bad-crc",
        ),
        pytest.param(
            "content/consent.zip",
            a_zip_that_cannot_be_read("header-disagrees"),
            ENTRY + "cannot be",
            id="zip-entry-whose-header-disagrees",
        ),
        pytest.param(
            "content/consent.zip",
            a_zip_that_cannot_be_read("unknown-compression"),
            ENTRY + "cannot be",
            id="zip-entry-of-an-unknown-compression",
        ),
    ],
)
def test_an_archive_in_docs_dir_that_cannot_be_read_stops_the_build_without_a_traceback(
    path: str,
    data: bytes,
    message: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Fails closed: what the gate cannot read, it cannot pass; a finding
    # like any other (not "a qualsite bug"), and the name in the entry's
    # file name is cut out of it.
    write_study(root)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_bytes(data)
    log = failed_build(root, caplog, deny_list)
    assert GATE in log
    assert any(line.startswith(f"  {message}") for line in log.splitlines()), log
    assert "Traceback" not in log
    assert 'File "' not in log


# -- personal data in a file of docs_dir that is not a page ------------------------------------

NOTES_LINE = 3

PERSONAL_DATA_IN_NOTES = [
    pytest.param("Ring 07700 900123 after six.", "a phone number", "900123", id="uk-phone"),
    pytest.param("NHS number 943 476 5919.", "an NHS number", "476 5919", id="nhs-number"),
    pytest.param("She moved to SW1A 1AA last year.", "a UK postcode", "SW1A 1AA", id="postcode"),
]


def notes_with(text: str) -> dict[str, str]:
    return {"content/notes.txt": f"Notes for readers.\n\n{text}\n"}


@pytest.mark.parametrize(("text", "description", "secret"), PERSONAL_DATA_IN_NOTES)
def test_personal_data_in_a_text_file_of_docs_dir_stops_a_strict_build_at_its_line(
    text: str,
    description: str,
    secret: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, notes_with(text))
    log = failed_build(root, caplog, deny_list)
    where = f"content/notes.txt:{NOTES_LINE}: the file holds what looks like {description}"
    assert where in log, log
    assert secret not in log


@pytest.mark.parametrize(("text", "description", "secret"), PERSONAL_DATA_IN_NOTES)
def test_personal_data_in_a_text_file_of_docs_dir_is_a_warning_when_not_strict(
    text: str,
    description: str,
    secret: str,
    root: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Warned about at its file and line, then published: the gate does not
    # stop the build a second time for what the build has warned about.
    caplog.set_level(logging.INFO)
    write_study(root, notes_with(text))
    site = build_site(root, strict=False)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    expected = f"content/notes.txt:{NOTES_LINE}: warning: the file holds what looks like "
    assert [w for w in warnings if expected + description in w], warnings
    assert GATE not in caplog.text
    assert (site / "notes.txt").read_text(encoding="utf-8") == notes_with(text)["content/notes.txt"]
    assert (site / "index.html").is_file()


def test_a_name_in_a_csv_saved_in_windows_1252_stops_the_build_at_its_line(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # As Excel saves a CSV: not UTF-8 ("é" is the single byte 0xE9).
    write_study(root)
    csv = root / "content/data/people.csv"
    csv.parent.mkdir(parents=True)
    csv.write_bytes("id,name\nP1,Jos\u00e9 Oakwood\n".encode("cp1252"))
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, "content/data/people.csv:2: the file", deny_list, OAKWOOD)


# -- a codebook file pulled into a page by pymdownx.snippets ----------------------------------

HELD_BACK_WORDS = "my manager rang me at home the night my father was taken ill"

HELD_BACK_ROADS = [
    pytest.param(
        {
            "codebook/excerpts/p2.yml": (
                "participant: P2\nexcerpts:\n  - id: p2-supervision\n    categories: supervision\n"
                "    text: I bring the hard cases to supervision.\n  - id: p2-home\n"
                "    categories: supervision\n    publish: false\n"
                f"    text: {HELD_BACK_WORDS.capitalize()}.\n"
            )
        },
        "codebook/excerpts/p2.yml",
        9,
        id="unpublished-excerpt",
    ),
    pytest.param(
        {
            "codebook/participants.yml": (
                "participants:\n  - id: P1\n  - id: P2\n  - id: P3\n    withdrawn: true\n"
            ),
            "codebook/excerpts/p3.yml": (
                "participant: P3\nexcerpts:\n  - id: p3-home\n    categories: supervision\n"
                f"    text: {HELD_BACK_WORDS.capitalize()}.\n"
            ),
        },
        "codebook/excerpts/p3.yml",
        5,
        id="withdrawn-participants-excerpt",
    ),
    pytest.param(
        {
            "codebook/excerpts/p2.yml": (
                "participant: P2\nexcerpts:\n  - id: p2-supervision\n    categories: supervision\n"
                "    text: I bring the hard cases to supervision.\n"
                f"    memo: {HELD_BACK_WORDS.capitalize()}; ask before quoting.\n"
            )
        },
        "codebook/excerpts/p2.yml",
        6,
        id="excerpt-memo",
    ),
]


@pytest.mark.parametrize(("changes", "included", "line"), HELD_BACK_ROADS)
def test_a_codebook_file_included_by_a_snippet_stops_the_build_by_what_it_holds_back(
    changes: dict[str, str],
    included: str,
    line: int,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The snippet's base is the study folder, so a page can pull in any
    # codebook file, as a fenced block "to show the format".
    rest = (
        "markdown_extensions:\n  - pymdownx.superfences\n  - pymdownx.snippets:\n"
        f"      base_path: [{root.as_posix()}]\n      check_paths: true\n"
    )
    page = f'# Home\n\nOur codebook:\n\n```yaml\n--8<-- "{included}"\n```\n'
    write_study(root, {"mkdocs.yml": mkdocs_yml(rest=rest), "content/index.md": page, **changes})
    log = failed_build(root, caplog, deny_list)
    assert GATE in log
    held_back = "holds the words of a text the study holds back ("
    assert any(
        shown.startswith("  index.html: ") and held_back in shown and f"{included}:{line})" in shown
        for shown in log.splitlines()
    ), log
    folded_log = " ".join(re.findall(r"[a-z]+", log.lower()))
    for words in ("manager rang", "father was taken ill", "rang me at home"):
        assert words not in folded_log


def test_a_copy_of_a_codebook_file_with_other_line_endings_and_a_bom_is_stopped(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Saved again by a Windows editor: CRLF line endings and a byte-order mark.
    write_study(root)
    participants = (root / "codebook/participants.yml").read_bytes()
    assert b"\r" not in participants
    copy = codecs.BOM_UTF8 + participants.replace(b"\n", b"\r\n")
    (root / "content/data").mkdir()
    (root / "content/data/roster.txt").write_bytes(copy)
    log = failed_build(root, caplog, deny_list)
    assert GATE in log
    copied = "  data/roster.txt: it is a copy of "
    assert any(copied in line and "codebook/participants.yml" in line for line in log.splitlines())


# -- names shown whole by markup, or by an override -----------------------------------------

SHOWN_WHOLE = [
    pytest.param(
        {"mkdocs.yml": mkdocs_yml(rest="copyright: Oak<label>wood</label> Trust\n")},
        "mkdocs.yml:9: a value in the site's configuration (as shown)",
        OAKWOOD,
        id="label-in-copyright",
    ),
    pytest.param(
        {"content/index.md": page('<bdo dir="rtl">doowkaO</bdo>')},
        "  index.html: ",
        OAKWOOD,
        id="bdo-rtl-in-a-page",
    ),
    pytest.param(
        {"content/index.md": page("\u202edoowkaO\nenaJ\u202c")},
        f"content/index.md:{PAGE_LINE}: the page",
        JANE,
        id="override-over-a-line-break",
    ),
]


@pytest.mark.parametrize(("changes", "where", "deny_line"), SHOWN_WHOLE)
def test_a_name_that_markup_or_an_override_shows_whole_stops_the_build(
    changes: dict[str, str],
    where: str,
    deny_line: int,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(root, changes)
    log = failed_build(root, caplog, deny_list)
    assert_reported(log, where, deny_list, deny_line)
    assert "\u202e" not in log


# -- personal data in attribute values a template writes -------------------------------------


@pytest.mark.parametrize(
    ("markup", "description", "secret"),
    [
        pytest.param(
            '<a href="tel:07700{{ "" }}900123">Call</a>', "a phone number", "900123", id="tel-link"
        ),
        pytest.param(
            '<img alt="born 12/03/{{ "" }}1985">',
            "a full date (it may be a date of birth)",
            "1985",
            id="img-alt",
        ),
    ],
)
def test_personal_data_in_an_attribute_a_template_writes_is_stopped_by_the_output_gate(
    markup: str,
    description: str,
    secret: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Split by template code, so that only the rendered page holds it whole.
    write_footer_study(root, markup)
    log = failed_build(root, caplog, deny_list)
    assert GATE in log
    expected = (
        rf"^  404\.html: an attribute value in it holds what looks like {re.escape(description)}$"
    )
    assert re.search(expected, log, re.MULTILINE), log
    assert secret not in log


# -- messages show bidirectional controls, never obey them -----------------------------------


@pytest.mark.parametrize(
    "written",
    [
        pytest.param('"\\u202EdoowkaO"', id="yaml-escape"),
        pytest.param("\u202edoowkaO", id="raw-character"),
    ],
)
def test_qualsite_check_prints_no_reading_of_a_name_behind_an_override(
    written: str, root: Path
) -> None:
    participants = f"participants:\n  - id: P1\n  - id: P2\n  - id: {written}\n"
    write_study(root, {"codebook/participants.yml": participants})
    result = run_qualsite("check", cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "codebook/participants.yml:4: " in output, output
    assert_no_identifier(output)  # not as written, not reversed, not folded
    # A bidirectional control is written out (<U+202E>), never obeyed by a
    # terminal or a CI log viewer.
    assert not re.search("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", output), output


# -- template overrides written for an older qualsite ----------------------------------------


def test_a_template_override_that_prints_a_memo_as_text_still_shows_it(
    root: Path,
) -> None:
    shipped = (REPO / "site_templates/macros.html.j2").read_text(encoding="utf-8")
    override = shipped.replace("{{ memo.text | paragraphs }}", "{{ memo | paragraphs }}")
    assert override != shipped
    categories = UNREVIEWED_MEMO.replace(
        "{text: An imported code note., reviewed: false}", "A second memo, on supervision."
    )
    write_study(
        root,
        {"site_templates/macros.html.j2": override, "codebook/categories.yml": categories},
    )
    site = build_site(root)
    text = main_text(site / "categories/supervision/index.html")
    assert "A reviewed memo." in text and "A second memo, on supervision." in text
    assert "Memo(" not in text


# -- export ------------------------------------------------------------------------------------


def export_codebook_csv(root: Path, *options: str, env: Mapping[str, str | None] | None = None):  # type: ignore[no-untyped-def]
    out = root / "exported"
    result = run_qualsite(
        "export", "--format", "codebook-csv", "--out", str(out), *options, cwd=root, env=env
    )
    return result, out


def test_export_strict_stops_for_unreviewed_text_and_writes_nothing(root: Path) -> None:
    write_study(root, {"codebook/excerpts/p2.yml": UNREVIEWED_EXCERPT})
    result, out = export_codebook_csv(root, "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "codebook/excerpts/p2.yml:5: 1 excerpt in this file is not yet reviewed" in (
        result.stderr
    )
    assert not out.exists()


def test_export_warns_about_unreviewed_text_when_not_strict_and_writes_the_file(
    root: Path,
) -> None:
    write_study(root, {"codebook/excerpts/p2.yml": UNREVIEWED_EXCERPT})
    assert "strict" not in (root / "mkdocs.yml").read_text(encoding="utf-8")
    result, out = export_codebook_csv(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "codebook/excerpts/p2.yml:5: warning: 1 excerpt in this file is not yet reviewed" in (
        result.stderr
    )
    assert (out / "codebook.csv").is_file()


def test_export_without_a_deny_list_says_so(root: Path) -> None:
    write_study(root)
    result, out = export_codebook_csv(root, env={"QUALSITE_DENY_LIST": None})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no deny-list was given" in result.stderr
    assert (out / "codebook.csv").is_file()


# -- a preview (mkdocs serve) and a new study -------------------------------------------------


def _settings(root: Path, **options: object) -> SiteSettings:
    return SiteSettings(
        root / "codebook",
        root / "site_templates",
        root / "content",
        **options,  # type: ignore[arg-type]
    )


def test_a_preview_needs_no_deny_list_and_no_review_but_a_strict_build_does(root: Path) -> None:
    write_study(root, {"codebook/excerpts/p2.yml": UNREVIEWED_EXCERPT})
    preview = prepare_site(_settings(root, strict=True, previewing=True))
    messages = [str(w) for w in preview.warnings]
    assert not [m for m in messages if "deny-list" in m or "not yet reviewed" in m], messages
    # The same settings for a build: unreviewed text is an error...
    with pytest.raises(StudyError) as stopped:
        prepare_site(_settings(root, strict=True))
    assert "1 excerpt in this file is not yet reviewed" in str(stopped.value)
    # ... and no deny-list a warning (which stops a strict build).
    write_study(root, {"codebook/excerpts/p2.yml": MINIMAL_STUDY["codebook/excerpts/p2.yml"]})
    built = prepare_site(_settings(root, strict=True))
    assert [w for w in built.warnings if "no deny-list was given" in w.message], built.warnings


def test_a_new_study_is_strict_so_check_stops_without_a_deny_list(
    tmp_path: Path, deny_list: Path
) -> None:
    created = run_qualsite("new", "fresh", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    study = tmp_path / "fresh"
    unset = run_qualsite("check", cwd=study, env={"QUALSITE_DENY_LIST": None})
    assert unset.returncode == 1, unset.stdout + unset.stderr
    assert "no deny-list was given" in unset.stdout + unset.stderr
    given = run_qualsite("check", cwd=study, env={"QUALSITE_DENY_LIST": str(deny_list)})
    assert given.returncode == 0, given.stdout + given.stderr


# -- aliases, in sum over the codebook ---------------------------------------------------------


def test_aliases_under_the_limit_in_each_file_are_refused_over_the_limit_in_all(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # One anchored text of 10,000 characters, repeated by aliases just under
    # the limit of a file, in each of enough files to pass the study's limit:
    # small files (about 15 KB each) that would expand to megabytes.
    sentence = "the team helped me through a hard week at work "
    text = (sentence * (10_000 // len(sentence) + 1))[:10_000]
    repeats = MAX_ALIAS_CHARACTERS // len(text) - 1
    per_file = repeats * len(text)
    assert per_file <= MAX_ALIAS_CHARACTERS
    files = MAX_ALIAS_CHARACTERS_IN_ALL // per_file + 1
    changes: dict[str, str] = {}
    for number in range(files):
        lines = [
            "participant: P1",
            "excerpts:",
            f"  - id: f{number}-0",
            "    categories: [coping]",
            f"    text: &long {text}",
            *(
                f"  - {{id: f{number}-{n}, categories: [coping], text: *long}}"
                for n in range(1, repeats + 1)
            ),
        ]
        changes[f"codebook/excerpts/f{number}.yml"] = "\n".join(lines) + "\n"
    write_study(root, changes)
    assert sum(p.stat().st_size for p in (root / "codebook/excerpts").iterdir()) < 100_000
    log = failed_build(root, caplog, deny_list)
    expected = (
        f"codebook: anchors and aliases repeat {files * per_file:,} characters of text in the "
        f"codebook's files, more than the limit of {MAX_ALIAS_CHARACTERS_IN_ALL:,} for a study"
    )
    assert expected in log, log
    assert "in this file" not in log  # no file is over its own limit


# -- a page's tables, as the search index gives them -------------------------------------------

#: Interviews a month, per site: a row of ten counts that starts with 0.
COUNTS_TABLE = (
    "| Site | J | F | M | A | M | J | J | A | S | O |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|\n"
    "| North | 0 | 1 | 2 | 0 | 3 | 1 | 0 | 0 | 2 | 1 |\n"
)


def test_a_pages_table_of_counts_is_published_though_the_search_index_runs_it_together(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The search index gives the row as "North 0 1 2 0 3 1 0 0 2 1": what
    # looks like a phone number, which the page publishes by design.
    caplog.set_level(logging.INFO)
    write_study(
        root,
        {"content/index.md": f"# Home\n\nSee [[category: coping]].\n\n{COUNTS_TABLE}"},
    )
    site = build_site(root)
    assert "North 0 1 2 0 3 1 0 0 2 1" in (site / "search" / "search_index.json").read_text(
        encoding="utf-8"
    )
    assert GATE not in caplog.text


def test_what_a_pages_table_lets_through_in_the_search_index_stays_there(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The index gives "Day Month 14 March 2020"; a template printing that
    # day on every page is not the table's to let through.
    table = "| Day | Month |\n|---|---|\n| 14 | March 2020 |\n"
    write_footer_study(root, "Seen on 14/03/{{ 2020 }}")
    (root / "content" / "index.md").write_text(
        f"# Home\n\nSee [[category: coping]].\n\n{table}", encoding="utf-8"
    )
    log = failed_build(root, caplog, deny_list)
    assert "404.html: its text holds what looks like a full date" in log
    assert "search/search_index.json" not in log


# -- dates a theme prints for a date a page gives ----------------------------------------------

#: A footer printing dates that no template file holds whole.
DATED_FOOTER = FOOTER_OVERRIDE.format(
    text="Released March {{ 12 }}, 2024 ({{ 12 }} March 2024).{extra}"
)


def test_a_date_a_page_gives_approves_the_same_day_in_the_forms_a_template_prints(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(theme="  custom_dir: overrides\n"),
            "overrides/main.html": DATED_FOOTER.replace("{extra}", ""),
            "content/index.md": "# Home\n\nReleased on 2024-03-12. See [[category: coping]].\n",
        },
    )
    site = build_site(root)
    footer = (site / "index.html").read_text(encoding="utf-8")
    assert "March 12, 2024" in footer and "12 March 2024" in footer
    assert GATE not in caplog.text


@pytest.mark.parametrize(
    ("page_text", "extra"),
    [
        pytest.param("Released on 2024-03-12.", " Born March {{ 13 }}, 2024.", id="another-day"),
        pytest.param("Released this spring.", "", id="no-date-on-the-page"),
    ],
)
def test_a_day_no_page_gives_is_found_in_what_a_template_prints(
    page_text: str,
    extra: str,
    root: Path,
    deny_list: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(theme="  custom_dir: overrides\n"),
            "overrides/main.html": DATED_FOOTER.replace("{extra}", extra),
            "content/index.md": f"# Home\n\n{page_text} See [[category: coping]].\n",
        },
    )
    log = failed_build(root, caplog, deny_list)
    _assert_a_date_found_on_the_404_page(log)
    assert "March 1" not in log and "2024" not in log


def _assert_a_date_found_on_the_404_page(log: str) -> None:
    """The gate stopped the build at a full date (shown nowhere) that the
    footer override prints, named where first met: the 404 page."""
    assert GATE in log
    description = re.escape("a full date (it may be a date of birth)")
    assert re.search(rf"^  404\.html: its text holds what looks like {description}$", log, re.M), (
        log
    )


def test_a_german_date_of_birth_a_template_prints_is_found(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_footer_study(root, "Geboren am {{ 3 }}. Mai 1961.", theme="  language: de\n")
    log = failed_build(root, caplog, deny_list)
    _assert_a_date_found_on_the_404_page(log)
    assert "Mai 1961" not in log


# -- a build that fails after MkDocs began writing --------------------------------------------

FAILING_HOOK = """\
from pathlib import Path

from mkdocs.exceptions import PluginError


def on_post_build(config):
    # A step of the study's own (an upload, say), run before qualsite's gate.
    pages = len(list(Path(config.site_dir).rglob("*.html")))
    raise {error}(f"the upload step failed after {{pages}} pages were written")
"""


def test_a_build_that_fails_after_mkdocs_began_writing_leaves_no_page(
    root: Path, deny_list: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(rest="hooks:\n  - hooks/upload.py\n"),
            "hooks/upload.py": FAILING_HOOK.format(error="PluginError"),
        },
    )
    log = failed_build(root, caplog, deny_list)  # the site folder keeps only its .git
    assert re.search(r"the upload step failed after [1-9]\d* pages were written", log), log


def test_a_build_that_crashes_after_mkdocs_began_writing_leaves_no_page(
    root: Path, deny_list: Path
) -> None:
    # Not a BuildError: MkDocs lets the exception through, after on_build_error.
    write_study(
        root,
        {
            "mkdocs.yml": mkdocs_yml(rest="hooks:\n  - hooks/upload.py\n"),
            "hooks/upload.py": FAILING_HOOK.format(error="RuntimeError"),
        },
    )
    site = root / "site"
    (site / KEPT).mkdir(parents=True)
    with pytest.raises(RuntimeError, match=r"after [1-9]\d* pages were written"):
        build_site(root)
    assert_site_holds_only_what_was_there(site, deny_list)

"""The study's rigour on its site (issue 18): the reporting checklist
(checklist.yml), the audit trail (decisions.yml and dated memos) and
retired categories, from the messages a mistake gets to the pages, links
and downloads a reader and an examiner use."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from helpers import (
    MINIMAL_STUDY,
    REPO,
    broken_links,
    build_site,
    read_html,
    run_qualsite,
    write_study,
)
from qualsite.checklists import standard
from qualsite.errors import StudyError
from qualsite.study import load_study
from qualsite.study.model import Study

EXAMPLE = load_study(REPO / "codebook").published()
#: Between a page's title and a heading on it.
SEPARATOR = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"

METHOD = """\
# Method

## Design

Grounded theory.

Who took part
-------------

Ten practitioners.

```text
## Not a heading: inside code
```
"""


@pytest.fixture
def in_study(tmp_path: Path) -> Iterator[Path]:
    """The minimal study with a method page, paths in messages relative to it."""
    write_study(tmp_path, {"content/method.md": METHOD})
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def _load_errors(root: Path, relative: str, text: str) -> list[str]:
    _write(root, relative, text)
    with pytest.raises(StudyError) as raised:
        load_study(Path("codebook"))
    return [str(p) for p in raised.value.problems]


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_qualsite("check", *args, cwd=root, env={"QUALSITE_DENY_LIST": None})


# -- the checklist: messages ----------------------------------------------------------


def test_an_unknown_standard_is_named_with_the_ones_qualsite_knows(in_study: Path) -> None:
    errors = _load_errors(
        in_study, "codebook/checklist.yml", "standard: CORQ\nitems:\n  - {item: 1, answer: A}\n"
    )
    assert errors == [
        "codebook/checklist.yml:1: unknown reporting standard 'CORQ'; qualsite knows COREQ "
        "and SRQR: write one of them"
    ]


def test_items_the_standard_lacks_or_lists_twice_are_errors_at_their_lines(
    in_study: Path,
) -> None:
    errors = _load_errors(
        in_study,
        "codebook/checklist.yml",
        """\
        standard: srqr
        items:
          - item: 22
            answer: A
          - item: 3
            answer: B
          - item: 3
            category: coping
          - item: 4
            answer: C
            category: coping
          - item: 5
        """,
    )
    assert errors == [
        "codebook/checklist.yml:3: SRQR has no item 22: its items are numbered 1 to 21",
        "codebook/checklist.yml:7: item 3 is listed twice; the first is at "
        "codebook/checklist.yml:5",
        "codebook/checklist.yml:9: checklist item 4 says where it is reported with 'category' "
        "and 'answer'; write exactly one of 'page', 'category', 'table', 'figure', 'answer', "
        "'not_applicable' (an item not yet reported is left out of the list)",
        "codebook/checklist.yml:12: checklist item 5 says where it is reported with none; "
        "write exactly one of 'page', 'category', 'table', 'figure', 'answer', "
        "'not_applicable' (an item not yet reported is left out of the list)",
    ]


def test_a_category_table_or_figure_that_does_not_exist_is_located(in_study: Path) -> None:
    errors = _load_errors(
        in_study,
        "codebook/checklist.yml",
        """\
        standard: COREQ
        items:
          - {item: 1, category: peer-suport}
          - {item: 2, table: 4}
          - {item: 3, figure: 1}
        """,
    )
    assert errors == [
        "codebook/checklist.yml:3: unknown category 'peer-suport' (did you mean 'peer-support'?)",
        "codebook/checklist.yml:4: there is no Table 4 in tables.yml (its tables: none)",
        "codebook/checklist.yml:5: there is no Figure 1: the study has no figure (no model.yml)",
    ]


def test_a_page_or_heading_that_does_not_exist_stops_check_at_the_line(in_study: Path) -> None:
    _write(
        in_study,
        "codebook/checklist.yml",
        """\
        standard: COREQ
        items:
          - item: 9
            page: methods.md
          - item: 10
            page: method.md
            heading: Sampling
          - item: 12
            page: method.md
            heading: who  took PART
        """,
    )
    result = _check(in_study)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "codebook/checklist.yml:4: checklist item 9: there is no page 'methods.md' in the "
        "site (write its file's path inside the docs folder; its pages: index.md, method.md)",
        "codebook/checklist.yml:7: checklist item 10: content/method.md has no heading "
        "'Sampling' (its headings: 'Method'; 'Design'; 'Who took part'); write the heading's "
        "words as they are on the page",
    ]
    assert "item 12" not in result.stderr  # case and spacing aside, the heading exists
    assert not (in_study / "site").exists()


def test_items_not_yet_addressed_are_warned_of_and_stop_nothing_but_a_complete_checklist(
    in_study: Path,
) -> None:
    _write(
        in_study,
        "codebook/checklist.yml",
        "standard: SRQR\nitems:\n"
        + "".join(f"  - {{item: {n}, answer: Reported.}}\n" for n in range(1, 20)),
    )
    result = _check(in_study, "--strict")
    assert result.returncode == 0, result.stderr
    assert (
        "codebook/checklist.yml:1: warning: 2 items of SRQR not yet addressed: "
        "20 Conflicts of interest; 21 Funding."
    ) in result.stdout
    build_site(in_study)  # --strict: mentioned, not a warning
    config = (in_study / "mkdocs.yml").read_text(encoding="utf-8")
    (in_study / "mkdocs.yml").write_text(
        config.replace("  - qualsite\n", "  - qualsite:\n      checklist_complete: true\n"),
        encoding="utf-8",
    )
    shutil.rmtree(in_study / "site")
    result = _check(in_study)
    assert result.returncode == 1
    assert "2 items of SRQR not yet addressed" in result.stderr
    assert "(checklist_complete is on)" in result.stderr


# -- the checklist: the page and the downloads ------------------------------------------


def test_every_addressed_item_links_to_a_page_and_place_that_exist(example_site: Path) -> None:
    page = example_site / "checklist/index.html"
    html = page.read_text(encoding="utf-8")
    assert broken_links(example_site, page) == []
    checklist = EXAMPLE.checklist
    assert checklist is not None
    coreq = standard("COREQ")
    assert coreq is not None
    for item in coreq.items:
        card = re.search(
            rf'<div class="qs-check [^"]*" id="item-{item.number}">(.*?)</div>', html, re.S
        )
        assert card is not None, item.number
        entry = checklist.entry(item.number)
        if entry is None:
            assert "Not yet reported." in card.group(1)
        elif entry.page is not None or entry.figure is not None:
            assert re.search(r'Reported in <a href="[^"]+">', card.group(1)), item.number
    # The heading's anchor on the method page: item 10, "Theoretical sampling".
    assert 'href="../method/#theoretical-sampling"' in html
    assert "theoretical-sampling" in read_html(example_site / "method/index.html").ids


def test_the_checklist_downloads_list_every_item_with_where_it_is_reported(
    example_site: Path,
) -> None:
    document = docx.Document(
        io.BytesIO((example_site / "downloads/reporting-checklist.docx").read_bytes())
    )
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = " | ".join(cells)
    # The example has no site_url: each place is found on the Print page.
    assert "Print page: Method - Design" in text
    assert "Not yet reported" in text
    latex = (example_site / "downloads/reporting-checklist.tex").read_text(encoding="utf-8")
    assert r"\begin{longtable}" in latex and "Theoretical sampling" in latex
    links = read_html(example_site / "checklist/index.html").links
    assert "../downloads/reporting-checklist.docx" in links
    assert "../downloads/reporting-checklist.tex" in links


def test_a_headings_own_id_is_its_anchor_only_where_the_site_reads_it(tmp_path: Path) -> None:
    checklist = """\
        standard: COREQ
        items:
          - {item: 12, page: method.md, heading: Who took part}
          - {item: 9, page: method.md, heading: Design}
        """
    page = "# Method\n\n## Design {#how}\n\nText.\n\n## Who took part\n\nText.\n"
    write_study(tmp_path, {"content/method.md": page, "codebook/checklist.yml": checklist})
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "markdown_extensions:\n  - attr_list\n",
        encoding="utf-8",
    )
    site = build_site(tmp_path)
    html = (site / "checklist/index.html").read_text(encoding="utf-8")
    assert 'href="../method/#how"' in html and 'href="../method/#who-took-part"' in html
    assert broken_links(site, site / "checklist/index.html") == []


def test_without_a_site_url_the_downloads_point_into_the_print_page(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "content/method.md": METHOD,
            "codebook/checklist.yml": """\
                standard: COREQ
                items:
                  - {item: 9, page: method.md, heading: Design}
                  - {item: 16, category: peer-support}
                """,
        },
    )
    site = build_site(tmp_path)
    latex = (site / "downloads/reporting-checklist.tex").read_text(encoding="utf-8")
    # In characters every LaTeX font has (pdfLaTeX has no breadcrumb arrow in OT1).
    assert "Print page: Method - Design" in latex
    assert "Print page: Category: Peer support" in latex
    printed = read_html(site / "print/index.html")
    assert "print-checklist" in printed.ids
    # With a site_url, each place is its page's web address.
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "site_url: https://example.org/study/\n",
        encoding="utf-8",
    )
    site = build_site(tmp_path)
    document = docx.Document(io.BytesIO((site / "downloads/reporting-checklist.docx").read_bytes()))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Method - Design, https://example.org/study/method/#design" in cells
    assert "Category: Peer support, https://example.org/study/categories/peer-support/" in cells


# -- the audit trail ---------------------------------------------------------------------


def test_the_audit_trail_lists_decisions_newest_first_linked_both_ways(
    example_site: Path,
) -> None:
    page = example_site / "audit-trail/index.html"
    html = page.read_text(encoding="utf-8")
    assert broken_links(example_site, page) == []
    days = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})"', html)
    assert days == sorted(days, reverse=True) and len(days) >= len(EXAMPLE.decisions)
    # The example's decisions are its own, and say so on every one.
    label = EXAMPLE.meta.added_labels["decisions"]
    assert html.count(label.replace("'", "&#39;")) == len(EXAMPLE.decisions)
    for decision in EXAMPLE.decisions:
        assert f'id="{decision.anchor}"' in html
        for category_id in decision.category_ids:
            category_page = example_site / f"categories/{category_id}/index.html"
            listed = category_page.read_text(encoding="utf-8")
            assert f"../../audit-trail/#{decision.anchor}" in listed
            assert broken_links(example_site, category_page) == []


def test_decisions_name_categories_that_exist(in_study: Path) -> None:
    errors = _load_errors(
        in_study,
        "codebook/decisions.yml",
        """\
        decisions:
          - date: 2024-02-30
            decided: Merge two codes.
          - date: 2024-03-01
            decided: Split coping.
            categories: [coping, copin]
        """,
    )
    assert errors == [
        "codebook/decisions.yml:2: date: '2024-02-30' is not a day of the calendar: "
        "write YYYY-MM-DD",
        "codebook/decisions.yml:6: unknown category 'copin' (did you mean 'coping'?)",
    ]


def test_dated_memos_join_the_decisions_and_the_same_day_keeps_its_order(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": """\
                categories:
                  - id: coping
                    name: Coping
                    memo:
                      - An undated memo, only on the category's page.
                      - text: Coping reads as a team's work.
                        date: 2024-03-01
                  - id: peer-support
                    parent: coping
                    name: Peer support
                  - id: supervision
                    parent: coping
                    name: Supervision
                """,
            "codebook/decisions.yml": """\
                decisions:
                  - {date: 2024-03-01, decided: First that day., categories: [coping]}
                  - {date: 2024-01-15, decided: Older.}
                  - {date: 2024-03-01, decided: Second that day.}
                """,
        },
    )
    site = build_site(tmp_path)
    html = (site / "audit-trail/index.html").read_text(encoding="utf-8")
    order = [
        html.index(t) for t in ("First that day.", "Second that day.", "team&#39;s work", "Older.")
    ]
    assert order == sorted(order)
    assert 'id="decision-2024-03-01"' in html and 'id="decision-2024-03-01-2"' in html
    assert "undated" not in html
    assert [m for m in ("March 2024", "January 2024") if f">{m}<" in html] == [
        "March 2024",
        "January 2024",
    ]


def test_a_decision_that_names_someone_on_the_deny_list_stops_the_build(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/decisions.yml": """\
                decisions:
                  - date: 2024-03-01
                    decided: Recode after the interview with Jane Oakwood.
                """,
        },
    )
    deny = tmp_path / "deny.txt"
    deny.write_text("Jane Oakwood\n", encoding="utf-8")
    result = run_qualsite("check", cwd=tmp_path, env={"QUALSITE_DENY_LIST": str(deny)})
    assert result.returncode == 1
    assert "codebook/decisions.yml:3: a decision's 'decided'" in result.stderr
    assert "Oakwood" not in result.stderr + result.stdout


# -- retired categories -------------------------------------------------------------------


def test_an_excerpt_coded_to_a_merged_category_is_told_where_it_went(in_study: Path) -> None:
    categories = (in_study / "codebook/categories.yml").read_text(encoding="utf-8")
    _write(
        in_study,
        "codebook/categories.yml",
        categories
        + "retired:\n  - id: colleagues\n    merged_into: peer-support\n"
        + "  - id: support\n    split_into: [peer-support, supervision]\n",
    )
    errors = _load_errors(
        in_study,
        "codebook/excerpts/p3.yml",
        """\
        participant: P3
        excerpts:
          - {id: p3-a, categories: [colleagues], text: A.}
          - {id: p3-b, categories: [support], text: B.}
        """,
    )
    assert errors == [
        "codebook/excerpts/p3.yml:3: category 'colleagues' was merged into 'peer-support' "
        "(codebook/categories.yml:15); write 'peer-support' instead",
        "codebook/excerpts/p3.yml:4: category 'support' was split into 'peer-support', "
        "'supervision' (codebook/categories.yml:17); write the one that fits",
    ]


def test_a_retired_id_cannot_still_be_a_category(in_study: Path) -> None:
    categories = (in_study / "codebook/categories.yml").read_text(encoding="utf-8")
    errors = _load_errors(
        in_study,
        "codebook/categories.yml",
        categories + "retired:\n  - id: supervision\n    merged_into: peer-suport\n",
    )
    assert errors == [
        "codebook/categories.yml:15: category 'supervision' is retired but is still a "
        "category (codebook/categories.yml:10); remove it from one list",
        "codebook/categories.yml:16: unknown category 'peer-suport' (did you mean 'peer-support'?)",
    ]


def test_the_example_study_has_its_checklist_and_decisions() -> None:
    assert isinstance(EXAMPLE, Study)
    assert EXAMPLE.checklist is not None and EXAMPLE.checklist.standard == "COREQ"
    stages = {d.stage for d in EXAMPLE.decisions}
    assert {"open coding", "axial coding", "selective coding", "theoretical sufficiency"} <= stages


# -- how the codebook changed, on the site ---------------------------------------------


#: Tagged versions made long before the build: the page dates each by its
#: commit, and the output gate must let those dates through.
OLD_COMMIT = {"GIT_AUTHOR_DATE": "2021-01-04T10:00:00", "GIT_COMMITTER_DATE": "2021-01-04T10:00:00"}


#: Skipped only outside CI: under CI=true a missing git fails the tests.
NEEDS_GIT = pytest.mark.skipif(
    shutil.which("git") is None and os.environ.get("CI") != "true", reason="git is not installed"
)


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, **OLD_COMMIT},
    )


def _tagged_study(root: Path) -> None:
    """The minimal study with codebook_history on, committed and tagged v1."""
    write_study(root)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - qualsite\n", "  - qualsite:\n      codebook_history: true\n"
        ),
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v1")
    _git(root, "tag", "v1")


@NEEDS_GIT
def test_the_site_shows_how_the_codebook_changed_across_its_tags(tmp_path: Path) -> None:
    _tagged_study(tmp_path)
    categories = tmp_path / "codebook/categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace("name: Peer support", "name: Colleagues"),
        encoding="utf-8",
    )
    # P2, withdrawn now, spoke in v1: no count of any version includes them.
    participants = tmp_path / "codebook/participants.yml"
    participants.write_text(
        participants.read_text(encoding="utf-8").replace(
            "label: Participant 2", "label: Participant 2\n    withdrawn: true"
        ),
        encoding="utf-8",
    )
    site = build_site(tmp_path)
    page = site / "codebook-history/index.html"
    html = page.read_text(encoding="utf-8")
    assert "From v1 (2021-01-04) to this version" in html
    assert re.search(
        r"“Peer support” is now <a href=\"../categories/peer-support/\">Colleagues</a>", html
    )
    # v1 had 3 excerpts; P2's one is counted in neither version.
    assert "2 excerpts before, 2 after" in html
    assert broken_links(site, page) == []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".tex"):
            assert "hard cases to supervision" not in path.read_text(encoding="utf-8"), path
    nav = read_html(site / "index.html").links
    assert "codebook-history/" in nav


@NEEDS_GIT
def test_an_old_definition_with_a_denied_name_stops_the_history_page(tmp_path: Path) -> None:
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": MINIMAL_STUDY["codebook/categories.yml"].replace(
                "definition: Turning to colleagues.",
                "definition: Turning to colleagues, as Jane Oakwood did.",
            )
        },
    )
    _tagged_study_in_place(tmp_path)
    categories = tmp_path / "codebook/categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace(", as Jane Oakwood did", ""),
        encoding="utf-8",
    )
    deny = tmp_path.parent / f"{tmp_path.name}-deny.txt"
    deny.write_text("Jane Oakwood\n", encoding="utf-8")
    result = run_qualsite("check", cwd=tmp_path, env={"QUALSITE_DENY_LIST": str(deny)})
    assert result.returncode == 1
    assert (
        "codebook_history, from v1 to working tree: a definition of category 'peer-support' "
        "holds an identifier from the deny-list"
    ) in result.stderr
    assert "Oakwood" not in result.stderr + result.stdout


def _tagged_study_in_place(root: Path) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - qualsite\n", "  - qualsite:\n      codebook_history: true\n"
        ),
        encoding="utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v1")
    _git(root, "tag", "v1")


def test_a_decision_that_names_a_withdrawn_participant_is_refused(in_study: Path) -> None:
    participants = (in_study / "codebook/participants.yml").read_text(encoding="utf-8")
    _write(
        in_study,
        "codebook/participants.yml",
        participants.replace("label: Participant 3", "label: Participant 3\n    withdrawn: true"),
    )
    _write(
        in_study,
        "codebook/decisions.yml",
        """\
        decisions:
          - date: 2024-03-01
            decided: Recode supervision.
            why: Participant 3 described it differently.
        """,
    )
    result = _check(in_study)
    assert result.returncode == 1
    assert (
        "codebook/decisions.yml:4: a decision's 'why' names a participant who has withdrawn "
        "(by their id or label)"
    ) in result.stderr


def test_a_decision_may_name_the_category_it_retired(tmp_path: Path) -> None:
    categories = MINIMAL_STUDY["codebook/categories.yml"]
    write_study(
        tmp_path,
        {
            "codebook/categories.yml": categories.rstrip(" ")
            + "        retired:\n"
            + "          - {id: colleagues, name: Colleagues, merged_into: peer-support}\n",
            "codebook/decisions.yml": """\
                decisions:
                  - date: 2024-03-01
                    decided: Merge colleagues into peer support.
                    categories: [colleagues, peer-support]
                """,
        },
    )
    site = build_site(tmp_path)
    html = (site / "audit-trail/index.html").read_text(encoding="utf-8")
    assert "Colleagues (retired)" in html
    assert 'href="../categories/peer-support/">Peer support</a>' in html


@pytest.mark.skipif(
    shutil.which("pdflatex") is None and os.environ.get("CI") != "true",
    reason="pdflatex is not installed (apt-get install texlive-latex-extra)",
)
def test_the_examples_latex_checklist_compiles(example_site: Path, tmp_path: Path) -> None:
    table = example_site / "downloads/reporting-checklist.tex"
    document = tmp_path / "appendix.tex"
    document.write_text(
        "\\documentclass{article}\n\\usepackage{booktabs,longtable,array}\n"
        f"\\begin{{document}}\n\\input{{{table}}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", document.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]

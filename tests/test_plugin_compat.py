"""The example study with the plugins researchers add to their sites.

Each test builds the example with one more plugin, with --strict, and
checks what that plugin does on qualsite's generated pages. The plugins
are test extras (pyproject.toml); FORMAT.md's "Works with" table says
what each needs.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from helpers import (
    REPO,
    broken_links,
    build_site,
    main_text,
    read_html,
    replace_in_file,
    run_qualsite,
)
from qualsite.content import ContentFile
from qualsite.plugin.guarded_plugins import project_archive_refusal
from qualsite.plugin.language_builds import page_versions


def _add_plugin(root: Path, entry: str, *, before_qualsite: bool = False) -> None:
    """Add a plugin's entry (YAML, indented as a list item of plugins)."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    entry = textwrap.indent(textwrap.dedent(entry).strip("\n"), "  ") + "\n"
    if before_qualsite:
        text = text.replace("  - qualsite:\n", entry + "  - qualsite:\n", 1)
    else:
        text = text.replace(
            "\nmarkdown_extensions:\n", "\n" + entry + "\nmarkdown_extensions:\n", 1
        )
    config.write_text(text, encoding="utf-8")


def _add_to_nav(root: Path, entry: str) -> None:
    """Add an entry ("Blog: blog/index.md") at the end of the example's nav."""
    last = "  - About this site: about.md\n"
    replace_in_file(root / "mkdocs.yml", last, f"{last}  - {entry}\n")


# -- Material's info plugin would zip the codebook ---------------------------


def test_the_info_plugin_is_refused_before_it_zips_anything(example_copy: Path) -> None:
    _add_plugin(example_copy, "- info", before_qualsite=True)
    built = run_qualsite("build", cwd=example_copy)
    assert built.returncode == 1
    assert "zips the whole project folder, the codebook included" in built.stderr
    assert "shareable_project: true" in built.stderr
    assert not list(example_copy.rglob("*.zip")), "nothing was archived"
    assert not (example_copy / "site").exists()


def test_a_shareable_project_may_use_the_info_plugin(example_copy: Path) -> None:
    _add_plugin(example_copy, "- info", before_qualsite=True)
    config = load_config(config_file=str(example_copy / "mkdocs.yml"))
    assert project_archive_refusal(config, shareable=False) is not None
    assert project_archive_refusal(config, shareable=True) is None
    # mkdocs serve leaves the plugin off unless told otherwise.
    assert project_archive_refusal(config, shareable=False, serving=True) is None


# -- mkdocs-bibtex --------------------------------------------------------------


def test_bibtex_cites_in_the_study_pages_and_leaves_the_cite_page_alone(
    example_copy: Path,
) -> None:
    (example_copy / "refs.bib").write_text(
        "@book{strauss1998,\n  author = {Strauss, Anselm and Corbin, Juliet},\n"
        "  title = {Basics of Qualitative Research},\n  publisher = {Sage},\n"
        "  year = {1998}\n}\n",
        encoding="utf-8",
    )
    method = example_copy / "content" / "method.md"
    method.write_text(
        method.read_text(encoding="utf-8") + "\nAs Strauss and Corbin set out [@strauss1998].\n",
        encoding="utf-8",
    )
    _add_plugin(example_copy, "- bibtex:\n    bib_file: refs.bib")
    config = example_copy / "mkdocs.yml"
    replace_in_file(config, "markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n")
    site = build_site(example_copy, site_dir=str(example_copy / "site"))
    assert "Basics of Qualitative Research" in main_text(site / "method" / "index.html")
    cite = main_text(site / "cite" / "index.html")
    assert re.search(r"@misc\{\w+,", cite), "the cite page's BibTeX reads as BibTeX"


# -- mkdocs-redirects, listed before qualsite ---------------------------------


def test_redirects_listed_first_reach_generated_pages(example_copy: Path) -> None:
    _add_plugin(
        example_copy,
        """\
        - redirects:
            redirect_maps:
              old-model.md: model.md
              old-tree.md: categories/index.md
        """,
        before_qualsite=True,
    )
    site = build_site(example_copy, site_dir=str(example_copy / "site"))
    for old, new in (("old-model", "model/"), ("old-tree", "categories/")):
        page = (site / old / "index.html").read_text(encoding="utf-8")
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page)
        assert target is not None, old
        assert (site / old / target.group(1) / "index.html").resolve() == (
            site / new / "index.html"
        ).resolve()


# -- Material's tags ------------------------------------------------------------


def test_the_tags_index_is_no_empty_chapter_of_the_print_page(example_copy: Path) -> None:
    (example_copy / "content" / "tags.md").write_text(
        "# Tags\n\n<!-- material/tags -->\n", encoding="utf-8"
    )
    method = example_copy / "content" / "method.md"
    method.write_text("---\ntags:\n  - method\n---\n" + method.read_text(encoding="utf-8"))
    _add_plugin(example_copy, "- tags")
    _add_to_nav(example_copy, "Tags: tags.md")
    site = build_site(example_copy, site_dir=str(example_copy / "site"))
    assert "method" in main_text(site / "tags" / "index.html"), "the tags plugin ran"
    printed = (site / "print" / "index.html").read_text(encoding="utf-8")
    assert 'id="print-page-method"' in printed
    assert 'id="print-page-tags"' not in printed


# -- Material's blog: an embed in a post ---------------------------------------


def test_an_excerpt_embedded_in_a_blog_post_links_from_the_post_s_address(
    example_copy: Path,
) -> None:
    posts = example_copy / "content" / "blog" / "posts"
    posts.mkdir(parents=True)
    (example_copy / "content" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    excerpt = re.search(
        r"^\s*-?\s*id:\s*(\S+)",
        next((example_copy / "codebook" / "excerpts").glob("*.yml")).read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert excerpt is not None
    (posts / "first.md").write_text(
        f"---\ndate: 2024-01-15\n---\n# A first finding\n\n[[excerpt: {excerpt.group(1)}]]\n",
        encoding="utf-8",
    )
    _add_plugin(example_copy, "- blog")
    _add_to_nav(example_copy, "Blog: blog/index.md")
    site = build_site(example_copy, site_dir=str(example_copy / "site"))
    post = site / "blog" / "2024" / "01" / "15" / "a-first-finding" / "index.html"
    assert post.is_file()
    page = read_html(post)
    assert any("categories/" in link for link in page.links), "the excerpt links to its category"
    assert broken_links(site, post) == []


# -- plugins that read a page's source file -----------------------------------

GIT = shutil.which("git")
PNGQUANT = shutil.which("pngquant")


def _built_by_the_command_line(root: Path) -> Path:
    # As a user builds: these plugins set themselves up on MkDocs' startup
    # event, which only the command line sends.
    built = run_qualsite("build", "--strict", cwd=root, env={"DISABLE_MKDOCS_2_WARNING": "true"})
    assert built.returncode == 0, built.stderr
    return root / "site"


def _committed(root: Path, when: str | None = None) -> None:
    """The study as a git repository with one commit (made now, or ``when``)."""
    assert GIT is not None, "git is needed (CI installs it)"
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    environment |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when is not None:
        environment |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "study"]):
        subprocess.run([GIT, *command], cwd=root, check=True, env=environment)


@pytest.mark.skipif(
    GIT is None and os.environ.get("CI") != "true", reason="git is not installed (CI has it)"
)
def test_an_rss_feed_lists_generated_pages(example_copy: Path) -> None:
    config = example_copy / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "site_url: https://example.org/study/\n",
        encoding="utf-8",
    )
    _add_plugin(example_copy, "- rss")
    _committed(example_copy)
    site = _built_by_the_command_line(example_copy)
    feed = (site / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert "<link>https://example.org/study/cite/</link>" in feed
    # The pages' sources are gone with the build.
    assert not list((example_copy / ".cache" / "qualsite" / "pages").iterdir())


@pytest.mark.skipif(
    PNGQUANT is None and os.environ.get("CI") != "true",
    reason="pngquant is not installed (CI installs it)",
)
def test_material_optimize_compresses_the_figure(example_copy: Path, example_site: Path) -> None:
    _add_plugin(example_copy, "- optimize")
    site = _built_by_the_command_line(example_copy)
    optimized = (site / "figures" / "figure-1.png").stat().st_size
    assert optimized < (example_site / "figures" / "figure-1.png").stat().st_size
    assert (site / "figures" / "figure-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_sources_stay_out_of_docs_dir_and_the_site(tmp_path: Path) -> None:
    from qualsite.plugin.page_sources import PageSources, sources_folder
    from qualsite.site import SiteSettings

    root = tmp_path / "study"
    settings = SiteSettings(
        codebook=root / "codebook",
        templates=root / "site_templates",
        docs_dir=root,  # docs_dir: . puts the cache inside it
        site_dir=root / "site",
        figure_cache=root / ".cache" / "qualsite",
    )
    assert sources_folder(settings) is None  # a temporary folder instead
    outside = SiteSettings(
        codebook=root / "codebook",
        templates=root / "site_templates",
        docs_dir=root / "content",
        site_dir=root / "site",
        figure_cache=root / ".cache" / "qualsite",
    )
    folder = sources_folder(outside)
    assert folder == (root / ".cache" / "qualsite" / "pages").resolve()
    abandoned = folder / "999999999-x" / "categories" / "withdrawn.md"  # no such process
    abandoned.parent.mkdir(parents=True)
    abandoned.write_text("left by a build that was killed", encoding="utf-8")
    sources = PageSources(folder)
    assert not abandoned.exists(), "a build removes what an ended one left"
    other = PageSources(folder)  # a second build of the study, at the same time
    assert other.folder != sources.folder
    written = sources.write("categories/trust.md", "# Trust\n")
    assert written.read_text(encoding="utf-8") == "# Trust\n"
    sources.remove()
    assert not sources.folder.exists() and other.folder.exists()
    other.remove()
    assert not list(folder.iterdir())


# -- mkdocs-awesome-nav -----------------------------------------------------------


def test_awesome_nav_keeps_the_category_tree(example_copy: Path) -> None:
    config = example_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("\nnav:\n")] + "\n", encoding="utf-8")  # no nav
    _add_plugin(example_copy, "- awesome-nav")
    site = build_site(example_copy, site_dir=str(example_copy / "site"))
    page = (site / "categories" / "index.html").read_text(encoding="utf-8")
    primary = page[page.index('md-nav--primary"') : page.index('class="md-content"')]
    titles = [
        html.unescape(t.strip())
        for t in re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', primary, re.DOTALL)
    ]
    tops = ["Work-related challenges", "Connecting with values", "Implementing proactive coping"]
    found = [next(i for i, t in enumerate(titles) if t.startswith(top)) for top in tops]
    assert found == sorted(found), "the study's order, not the alphabet's"
    assert titles[found[0] - 1] == "Categories"
    assert not list(site.rglob(".nav.yml")), "read by awesome-nav, not published"


# -- git-revision-date-localized ------------------------------------------------


@pytest.mark.skipif(
    GIT is None and os.environ.get("CI") != "true", reason="git is not installed (CI has it)"
)
def test_generated_pages_are_dated_by_the_codebook_s_commits(example_copy: Path) -> None:
    # Without creation dates: 1.6.0 stamps a generated page's two dates at two
    # moments and may warn that they are out of order (fixed in 1.6.3).
    _add_plugin(example_copy, "- git-revision-date-localized")
    _committed(example_copy, when="2023-07-15T10:00:00Z")
    environment = {"SOURCE_DATE_EPOCH": "1700000000", "DISABLE_MKDOCS_2_WARNING": "true"}
    sites = []
    for name in ("first", "second"):
        built = run_qualsite("build", "--strict", "-d", name, cwd=example_copy, env=environment)
        assert built.returncode == 0, built.stderr  # the gate accepts the commit's date
        sites.append(example_copy / name)
    category = next((sites[0] / "categories").glob("*/index.html"))
    page = category.read_text(encoding="utf-8")
    assert re.search(r'plugin-date" title="July 15, 2023[^"]*">July 15, 2023<', page)
    first = {p.relative_to(sites[0]): p.read_bytes() for p in sites[0].rglob("*") if p.is_file()}
    second = {p.relative_to(sites[1]): p.read_bytes() for p in sites[1].rglob("*") if p.is_file()}
    assert first == second, "two builds of the same study are the same"


# -- mkdocs-static-i18n: the site once per language ------------------------

I18N = """\
- i18n:
    languages:
      - locale: en
        default: true
        name: English
      - locale: de
        name: Deutsch
"""

TRANSLATED_HOME = """\
# Die Beispielstudie

Diese Seite hat die Studie selbst übersetzt.

## Das Modell in Kürze {#the-model-in-brief}

Drei Phasen.
"""

#: A category of the example, and where its page is in each language.
CATEGORY = "categories/balancing-admin-and-clinical-work/index.html"


def _copy_example(root: Path) -> Path:
    root.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("codebook", "content"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def two_languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built in English and German by mkdocs-static-i18n, with
    the home page translated by the study (index.de.md)."""
    root = _copy_example(tmp_path_factory.mktemp("i18n") / "study")
    _add_plugin(root, I18N)
    # The checklist reports an item under the home page's "The model in
    # brief": its translation keeps the heading's id.
    replace_in_file(
        root / "mkdocs.yml", "markdown_extensions:\n", "markdown_extensions:\n  - attr_list\n"
    )
    (root / "content" / "index.de.md").write_text(TRANSLATED_HOME, encoding="utf-8")
    # The German site's own copyright line and navigation (static-i18n sets
    # them for its build, before qualsite adds its footer and sections).
    replace_in_file(
        root / "mkdocs.yml",
        "          name: Deutsch\n",
        "          name: Deutsch\n          copyright: Kopie der Studie\n"
        "          nav:\n            - Start: index.md\n            - qualsite:categories\n",
    )
    built = run_qualsite("build", "--strict", cwd=root)
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    return root / "site"


def test_each_language_has_qualsite_s_pages_in_its_own_words(two_languages: Path) -> None:
    english, german = two_languages / CATEGORY, two_languages / "de" / CATEGORY
    assert '<html lang="en"' in english.read_text(encoding="utf-8")
    assert '<html lang="de"' in german.read_text(encoding="utf-8")
    assert "Excerpts" in main_text(english) and "Excerpts" not in main_text(german)
    assert "Textstellen" in main_text(german)
    # The study's own words are the same in both (its category, as written).
    assert "Balancing administrative and clinical work" in main_text(german)
    # The study's translated page, and its English original.
    assert "Diese Seite hat die Studie selbst übersetzt." in main_text(
        two_languages / "de" / "index.html"
    )
    assert "Die Beispielstudie" not in main_text(two_languages / "index.html")

    # Every generated page of one language is in the other.
    def generated(root: Path) -> set[Path]:
        return {p.relative_to(root) for p in (root / "categories").rglob("index.html")}

    assert generated(two_languages) == generated(two_languages / "de")


def test_each_language_links_to_its_own_downloads_in_its_language(two_languages: Path) -> None:
    for page in (
        two_languages / CATEGORY,
        two_languages / "de" / CATEGORY,
        two_languages / "de" / "tables" / "index.html",
        two_languages / "de" / "print" / "index.html",
    ):
        assert broken_links(two_languages, page) == [], page
    tables = read_html(two_languages / "de" / "tables" / "index.html")
    assert "../downloads/tables.docx" in tables.links
    languages = {}
    for name, site in (("en", two_languages), ("de", two_languages / "de")):
        with zipfile.ZipFile(site / "downloads" / "tables.docx") as docx:
            xml = docx.read("word/styles.xml").decode("utf-8")
        languages[name] = set(re.findall(r'<w:lang [^>]*w:val="([^"]+)"', xml))
    assert languages == {"en": {"en-GB"}, "de": {"de-DE"}}


def test_the_language_menu_of_a_generated_page_leads_to_the_same_page(
    two_languages: Path,
) -> None:
    for page, other, target in (
        (two_languages / CATEGORY, "de", two_languages / "de" / CATEGORY),
        (two_languages / "de" / CATEGORY, "en", two_languages / CATEGORY),
    ):
        text = page.read_text(encoding="utf-8")
        link = re.search(rf'<a href="([^"]+)" hreflang="{other}"', text)
        assert link is not None, f"{page}: no link to the {other} version"
        assert (page.parent / html.unescape(link.group(1)) / "index.html").resolve() == target


def test_the_configuration_is_not_added_to_again_for_each_language(two_languages: Path) -> None:
    german = (two_languages / "de" / CATEGORY).read_text(encoding="utf-8")
    english = (two_languages / CATEGORY).read_text(encoding="utf-8")
    assert german.count("qualsite.css") == 1
    assert german.count("Version 1.0") == 1, "one footer line, not one per build"
    # Each language's footer: its own copyright line, then qualsite's, in its words.
    assert re.search(r"Kopie der Studie · Version 1\.0, veröffentlicht am", german)
    assert "Kopie der Studie" not in english and "veröffentlicht" not in english
    assert "Version 1.0, published" in english


def test_a_language_s_own_navigation_gets_qualsite_s_sections(two_languages: Path) -> None:
    german = read_html(two_languages / "de" / CATEGORY)
    assert not [link for link in german.links if link.startswith("qualsite:")]
    nav = main_text(two_languages / "de" / "categories" / "index.html")
    assert "Kategorien" in nav
    # The German navigation is the one static-i18n was given: no Method page.
    assert "../../method/" not in german.links
    assert "../../method/" in read_html(two_languages / CATEGORY).links


def _excerpt_entries(site: Path) -> list[str]:
    """The locations of the search index's excerpt entries (qualsite's captions)."""
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    return [e["location"] for e in index["docs"] if 'class="qs-search-caption"' in e["title"]]


def test_search_finds_each_excerpt_once_on_the_default_language_s_page(
    two_languages: Path, example_site: Path
) -> None:
    # As static-i18n does with a text that is the same in two languages: the
    # study's words are the same in each, and found on the default's pages.
    found = _excerpt_entries(two_languages)
    assert sorted(found) == sorted(_excerpt_entries(example_site))
    index = json.loads((two_languages / "search" / "search_index.json").read_text("utf-8"))
    locations = [entry["location"] for entry in index["docs"]]
    assert not [where for where in locations if where.startswith("de/categories/")]
    assert "de/" in locations, "the study's own German page is found"


def test_without_static_i18n_s_search_merging_each_language_finds_its_own(
    example_copy: Path, example_site: Path
) -> None:
    _add_plugin(example_copy, I18N.replace("- i18n:\n", "- i18n:\n    reconfigure_search: false\n"))
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 0, built.stderr
    found = _excerpt_entries(example_copy / "site")
    english = _excerpt_entries(example_site)
    assert sorted(found) == sorted([*english, *(f"de/{where}" for where in english)])


def test_the_checklist_links_to_the_heading_on_each_language_s_page(two_languages: Path) -> None:
    for site, heading in (
        (two_languages, "The model in brief"),
        (two_languages / "de", "Das Modell in Kürze"),
    ):
        checklist = site / "checklist" / "index.html"
        assert broken_links(two_languages, checklist) == []
        assert "../#the-model-in-brief" in read_html(checklist).links
        assert heading in main_text(checklist)
    assert "The model in brief" not in main_text(two_languages / "de" / "checklist" / "index.html")


def test_a_translation_without_the_checklist_s_heading_is_a_located_error(
    example_copy: Path,
) -> None:
    _add_plugin(example_copy, I18N)
    (example_copy / "content" / "index.de.md").write_text(
        "# Die Beispielstudie\n\n## Das Modell in Kürze\n\nDrei Phasen.\n", encoding="utf-8"
    )
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 1
    assert "codebook/checklist.yml:57" in built.stderr
    assert "content/index.de.md, the translation of index.md, has no heading" in built.stderr
    assert "'## Translated words {#the-model-in-brief}'" in built.stderr
    assert "Traceback" not in built.stderr
    assert not (example_copy / "site").exists()


def test_a_deny_listed_name_on_a_translated_page_publishes_nothing(
    example_copy: Path, suite_deny_list: Path
) -> None:
    _add_plugin(example_copy, I18N)
    name = suite_deny_list.read_text(encoding="utf-8").splitlines()[1]
    (example_copy / "content" / "about.de.md").write_text(
        f"# Über die Studie\n\nDanke an {name}.\n", encoding="utf-8"
    )
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 1
    assert "content/about.de.md:3: the page holds an identifier from the deny-list" in built.stderr
    assert "Traceback" not in built.stderr
    assert not (example_copy / "site").exists()


#: A hook that writes a deny-listed name, in two pieces no source file holds
#: whole, into the German version of one generated page only: the output
#: gate alone can find it.
GERMAN_ONLY_LEAK = """\
def on_page_content(html, page, config, files):
    if page.file.dest_uri == "de/{target}":
        return html + "<p>Bartholo" + "mew Quince</p>"
    return html
"""


def test_a_name_on_one_generated_page_of_a_later_language_publishes_nothing(
    example_copy: Path,
) -> None:
    _add_plugin(example_copy, I18N)
    (example_copy / "leak.py").write_text(GERMAN_ONLY_LEAK.format(target=CATEGORY), "utf-8")
    replace_in_file(example_copy / "mkdocs.yml", "\nnav:\n", "\nhooks:\n  - leak.py\n\nnav:\n")
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 1
    assert f"de/{CATEGORY}" in built.stderr
    assert "deny-list" in built.stderr
    assert "Traceback" not in built.stderr
    assert not (example_copy / "site").exists()
    assert not list(example_copy.glob(".site-*")), "the unchecked build is gone too"


def test_the_German_build_publishes_each_page_from_its_German_file(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nplugins:\n  - i18n:\n      languages:\n"
        "        - {locale: en, default: true, name: English}\n"
        "        - {locale: de, name: Deutsch}\n        - {locale: fr, name: Français}\n",
        encoding="utf-8",
    )
    files = ["index.md", "index.de.md", "a/b.md", "a/b.de.md", "c.md", "c.fr.md", "img.de.png"]
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))
    content = [ContentFile(src, tmp_path / "docs" / src) for src in files]
    assert page_versions(config, content) == {}, "the default language's build: its own files"
    config.plugins["i18n"].current_language = "de"  # as the plugin sets it for its next build
    found = page_versions(config, content)
    shown = {page: path.relative_to(tmp_path / "docs").as_posix() for page, path in found.items()}
    assert shown == {"index.md": "index.de.md", "a/b.md": "a/b.de.md"}


def test_static_i18n_s_folder_structure_is_refused_with_what_to_do_instead(
    example_copy: Path,
) -> None:
    _add_plugin(example_copy, I18N.replace("- i18n:\n", "- i18n:\n    docs_structure: folder\n"))
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 1
    assert "plugins: i18n: docs_structure: folder: qualsite does not work with it" in built.stderr
    assert "use the default structure, 'suffix'" in built.stderr
    assert "Traceback" not in built.stderr


def test_a_failed_later_language_leaves_mkdocs_able_to_empty_the_site_folder(
    example_copy: Path,
) -> None:
    """static-i18n stops MkDocs emptying the site folder while it builds the
    later languages, and puts that back only when all have been built."""
    import mkdocs.utils

    _add_plugin(example_copy, I18N)
    (example_copy / "fail.py").write_text(
        "from mkdocs.exceptions import PluginError\n\n"
        "def on_files(files, config):\n"
        "    if config.theme['language'] == 'de':\n"
        "        raise PluginError('the German build fails here')\n"
        "    return files\n",
        encoding="utf-8",
    )
    replace_in_file(example_copy / "mkdocs.yml", "\nnav:\n", "\nhooks:\n  - fail.py\n\nnav:\n")
    clean_directory = mkdocs.utils.clean_directory
    with pytest.raises(Abort):
        build_site(example_copy)
    assert mkdocs.utils.clean_directory is clean_directory
    assert not list((example_copy / "site").iterdir()), "what the English build wrote is gone"


def test_qualsite_s_language_option_is_refused_beside_static_i18n(example_copy: Path) -> None:
    _add_plugin(example_copy, I18N)
    replace_in_file(
        example_copy / "mkdocs.yml",
        "      codebook: codebook\n",
        "      codebook: codebook\n      language: fr\n",
    )
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 1
    assert "plugins: qualsite: language: leave it out when mkdocs-static-i18n" in built.stderr
    assert "Traceback" not in built.stderr


def test_print_site_is_a_warning_that_points_to_qualsite_s_print_page(
    example_copy: Path,
) -> None:
    _add_plugin(example_copy, "- print-site")
    built = run_qualsite("build", "--strict", cwd=example_copy)
    assert built.returncode == 1, "a warning stops a strict build"
    assert "plugins: print-site: mkdocs-print-site's page repeats ids" in built.stderr
    assert "qualsite's own Print page (print/)" in built.stderr


def test_two_builds_of_one_study_at_once_keep_their_own_page_sources(
    example_copy: Path,
) -> None:
    command = [sys.executable, "-m", "qualsite", "build", "--strict", "-d"]
    builds = [
        subprocess.Popen(
            [*command, name], cwd=example_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for name in ("one", "two", "three")
    ]
    for build in builds:
        _, errors = build.communicate(timeout=300)
        assert build.returncode == 0, errors.decode()
    for name in ("one", "two", "three"):
        assert (example_copy / name / "categories" / "index.html").is_file()


# -- mkdocs-glightbox -------------------------------------------------------------


def test_glightbox_can_zoom_the_figure_as_a_picture(example_copy: Path, example_site: Path) -> None:
    _add_plugin(example_copy, "- glightbox")
    site = build_site(example_copy, site_dir=str(example_copy / "site"))
    model = (site / "model" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a class="glightbox" href="([^"]+)" data-type="image"', model)
    assert link is not None, "the figure is offered to the lightbox"
    target = (site / "model" / link.group(1)).resolve()
    assert target == (site / "figures" / "figure-1.svg").resolve()
    assert 'id="init-glightbox"' in model, "the plugin's viewer is on the page"
    # Without the plugin, no such link: it would only lead to the file.
    plain = (example_site / "model" / "index.html").read_text(encoding="utf-8")
    assert 'class="glightbox"' not in plain

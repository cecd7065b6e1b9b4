"""Every word qualsite publishes follows the site's language.

The catalogues are checked against the messages the code and templates
mark (so they cannot drift), the example is built in each shipped language
and searched for English that qualsite wrote, and a study's own catalogue
is used for a language qualsite does not ship.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import textwrap
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import babel.dates
import pytest
import yaml
from babel.messages.catalog import Catalog

from helpers import REPO, build_site, replace_in_file, run_qualsite, write_study
from qualsite import i18n
from qualsite.errors import StudyError
from qualsite.i18n.catalogues import read_catalogue, shipped_catalogue, template_path, translated
from qualsite.i18n.extract import found_messages, template_catalogue

TRANSLATED = [code for code in i18n.SHIPPED_LANGUAGES if code != "en"]


def _ids(catalogue: Catalog) -> set[object]:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalogue if m.id}


# -- the catalogues cannot drift from the code --------------------------------


def test_the_code_marks_messages_in_python_templates_and_checklists() -> None:
    places = {found.where.split(":")[0] for found in found_messages()}
    assert any(p.startswith("qualsite/render/") and p.endswith(".py") for p in places)
    assert any(p.startswith("site_templates/") for p in places)
    assert any(p.startswith("qualsite/exports/") for p in places)
    assert "qualsite/checklists/coreq.yml" in places


def test_the_shipped_template_lists_exactly_the_marked_messages() -> None:
    shipped = read_catalogue(template_path())
    extracted = template_catalogue()
    missing = _ids(extracted) - _ids(shipped)
    stale = _ids(shipped) - _ids(extracted)
    assert not missing and not stale, (
        f"qualsite.pot is out of date (run make messages): {len(missing)} new, "
        f"{len(stale)} gone, e.g. {sorted(map(str, missing | stale))[:5]}"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_shipped_language_translates_every_message(language: str) -> None:
    catalogue = read_catalogue(shipped_catalogue(language), language)
    by_id = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)): m for m in catalogue}
    untranslated = []
    for key in sorted(_ids(template_catalogue()), key=str):
        message = by_id.get(key)
        if message is None or not translated(message) or message.fuzzy:
            untranslated.append(key)
    assert not untranslated, (
        f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    )
    # Placeholders kept, and as many plural forms as the language has.
    assert not [(m.id, errors) for m, errors in catalogue.check()], language
    plural = [m for m in catalogue if isinstance(m.id, (tuple, list)) and m.id]
    assert plural, "counts are plural messages"
    assert all(len(m.string) == catalogue.num_plurals for m in plural)


# -- choosing and loading a language ------------------------------------------


@pytest.fixture
def restore_language() -> Iterator[None]:
    previous = i18n.active()
    yield
    i18n.activate(previous)


def test_a_regional_language_falls_back_to_its_language(restore_language: None) -> None:
    swiss = i18n.load_language("de-CH")
    i18n.activate(swiss)
    assert i18n.ngettext("%(num)d excerpt", "%(num)d excerpts", 2) != "%(num)d excerpts"
    assert swiss.tag == "de-CH"
    assert i18n.load_language("de").tag == "de-DE"
    assert i18n.english().tag == "en-GB"


def test_dates_are_written_as_the_language_writes_them(restore_language: None) -> None:
    expected = {
        "en": "12 March 2024",
        "de": "12. März 2024",
        "fr": "12 mars 2024",
        "es": "12 de marzo de 2024",
        "nl": "12 maart 2024",
    }
    for code, written in expected.items():
        i18n.activate(i18n.load_language(code))
        assert i18n.long_date("2024-03-12") == written


def test_an_unknown_language_code_is_refused_with_how_to_write_one() -> None:
    with pytest.raises(StudyError) as caught:
        i18n.load_language("klingon-ish")
    assert "'klingon-ish' is not a language code" in str(caught.value.problems[0])


def test_a_language_without_a_catalogue_is_english_and_says_so() -> None:
    language = i18n.load_language("it")
    assert language.translations.gettext("Categories") == "Categories"
    assert "no translation into Italian" in language.notes[0]
    assert "qualsite translation it" in language.notes[0]
    assert "translations/it.po" in language.notes[0]


PO_HEADER = """\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=UTF-8\\n"
    "Language: {language}\\n"
    "Plural-Forms: {plural}\\n"

"""
POLISH_PLURAL = (
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)


def _study_catalogue(
    tmp_path: Path, language: str, entries: str, plural: str = "nplurals=2; plural=(n != 1);"
) -> Path:
    """A study's translations folder with a catalogue for ``language``."""
    folder = tmp_path / "translations"
    folder.mkdir(exist_ok=True)
    (folder / f"{language}.po").write_text(_po(language, plural, entries), encoding="utf-8")
    return folder


def _po(language: str, plural: str, entries: str) -> str:
    return textwrap.dedent(PO_HEADER.format(language=language, plural=plural)) + textwrap.dedent(
        entries
    )


def test_a_study_catalogue_rewords_a_shipped_language_and_keeps_the_rest(
    tmp_path: Path, restore_language: None
) -> None:
    folder = _study_catalogue(tmp_path, "de", 'msgid "Categories"\nmsgstr "Kodes"\n')
    i18n.activate(i18n.load_language("de", folder))
    assert i18n._("Categories") == "Kodes"
    shipped = read_catalogue(shipped_catalogue("de"), "de")
    assert i18n._("How to cite") == shipped.get("How to cite").string


def test_a_languages_fingerprint_tells_catalogues_apart(tmp_path: Path) -> None:
    # Under mkdocs serve the excerpts' HTML is kept while the language's
    # fingerprint is unchanged (qualsite.render.excerpt_memo).
    folder = _study_catalogue(tmp_path, "de", 'msgid "Categories"\nmsgstr "Kodes"\n')
    first = i18n.load_language("de", folder)
    assert first.fingerprint and first.fingerprint == i18n.load_language("de", folder).fingerprint
    _study_catalogue(tmp_path, "de", 'msgid "Categories"\nmsgstr "Codes"\n')
    assert i18n.load_language("de", folder).fingerprint != first.fingerprint
    assert i18n.load_language("fr").fingerprint not in (first.fingerprint, b"")


def test_a_language_with_three_plural_forms_counts_by_its_rules(
    tmp_path: Path, restore_language: None
) -> None:
    folder = _study_catalogue(
        tmp_path,
        "pl",
        """\
            msgid "%(num)d excerpt"
            msgid_plural "%(num)d excerpts"
            msgstr[0] "%(num)d fragment"
            msgstr[1] "%(num)d fragmenty"
            msgstr[2] "%(num)d fragmentów"
            """,
        plural=POLISH_PLURAL,
    )
    i18n.activate(i18n.load_language("pl", folder))
    said = {
        n: i18n.ngettext("%(num)d excerpt", "%(num)d excerpts", n) % {"num": n}
        for n in (1, 3, 5, 22)
    }
    assert said == {1: "1 fragment", 3: "3 fragmenty", 5: "5 fragmentów", 22: "22 fragmenty"}


def test_a_broken_study_catalogue_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = _study_catalogue(tmp_path, "it", 'msgid "Categories"\nmsgstr Categorie\n')
    with pytest.raises(StudyError) as caught:
        i18n.load_language("it", folder)
    problem = caught.value.problems[0]
    assert problem.location.path.endswith("translations/it.po")
    assert problem.location.line == 8


def test_a_translation_that_drops_a_placeholder_is_refused_at_its_line(tmp_path: Path) -> None:
    folder = _study_catalogue(
        tmp_path,
        "it",
        """\
            msgid "Categories"
            msgstr "Categorie"

            msgid "%(num)d excerpt"
            msgid_plural "%(num)d excerpts"
            msgstr[0] "un estratto"
            msgstr[1] "%(numero)d estratti"
            """,
    )
    with pytest.raises(StudyError) as caught:
        i18n.load_language("it", folder)
    problem = caught.value.problems[0]
    assert problem.location.line == 10
    assert "'%(num)d excerpt'" in problem.message and "placeholder" in problem.message


# -- the example in each shipped language -------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
_WORD = re.compile(r"[A-Za-z]{3}")


def _english_fragments(language: str) -> set[str]:
    """Pieces of qualsite's English messages that a page in ``language``
    should not hold: each run of text between placeholders, when its
    translation differs from it and it is long enough to mean something."""
    catalogue = read_catalogue(shipped_catalogue(language), language)
    fragments: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        translation = " ".join(strings)
        for english in ids:
            for piece in _PLACEHOLDER.split(english):
                piece = piece.strip(" .,:;()–-")
                if len(piece) >= 4 and _WORD.search(piece) and piece not in translation:
                    fragments.add(piece)
    return fragments


def _values(node: object, *, keys: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if keys and isinstance(key, str):
                yield key
            yield from _values(value, keys=keys)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value, keys=keys)
    elif isinstance(node, str):
        yield node


def _study_sources(root: Path) -> str:
    """What the study's data and settings say, which stays as written: every
    value in its YAML files (not the keys, which are the format's words)
    and in mkdocs.yml (its nav titles, its palette's names), lower-cased, as
    the code may capitalise a level's name for a heading."""
    texts: list[str] = []
    for path in [root / "mkdocs.yml", *sorted((root / "codebook").rglob("*.yml"))]:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
        # mkdocs.yml's keys hold the nav's titles ("Discussion: discussion.md").
        keys = path.name == "mkdocs.yml"
        texts += [" ".join(value.split()) for value in _values(loaded, keys=keys)]
    return "\n".join(texts).lower()  # one value a line


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags (!ENV, !!python/name) that only MkDocs reads."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _own_pages(root: Path) -> set[str]:
    """The pages the study wrote itself, in English (content/*.md)."""
    pages = set()
    for page in (root / "content").rglob("*.md"):
        relative = page.relative_to(root / "content").with_suffix("")
        pages.add("index.html" if relative.name == "index" else f"{relative.as_posix()}/index.html")
    return pages


# The Print page prints the study's own pages too, each in a section of its own.
_OWN_PAGE_SECTION = re.compile(
    r'<section class="qs-print-section qs-print-section--content".*?</section>', re.DOTALL
)


class _ReadText(HTMLParser):
    """What a page says: its text and the attributes that are read aloud
    or shown (not addresses, ids or classes, which stay English)."""

    SAID = ("aria-label", "title", "alt", "placeholder", "aria-description", "content")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.said: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.said += [value for name, value in attrs if name in self.SAID and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.said.append(data)


def _said(markup: str) -> str:
    reader = _ReadText()
    reader.feed(markup)
    reader.close()
    return "\n".join(reader.said)


_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>(.*?)</w:t>", re.DOTALL)


def _published_texts(site: Path, own_pages: set[str]) -> Iterator[tuple[str, list[str]]]:
    """Each published file's pieces of text as a reader (or a reader's
    software) meets them: the text nodes and spoken attributes of the pages
    qualsite made (without scripts), the search index's entries, the
    figure, and the lines of every download, Word files by paragraph."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        if relative.startswith("assets/") and not relative.startswith("assets/qualsite/"):
            continue  # the theme's own files
        if relative in own_pages:
            continue  # the study's own English pages
        if relative == "search/search_index.json":
            index = json.loads(path.read_text(encoding="utf-8"))
            for doc in index["docs"]:
                page = doc["location"].split("#")[0]
                page = f"{page}index.html" if not page or page.endswith("/") else page
                if page not in own_pages and not page.startswith("print/"):
                    nodes = [doc["title"], *_said(doc["text"]).splitlines()]
                    # Keyed by page: an anchor follows its heading's language.
                    yield f"{relative}:{page}", nodes
            continue
        if path.suffix in (".html", ".svg"):
            markup = path.read_text(encoding="utf-8")
            yield relative, _said(_OWN_PAGE_SECTION.sub("", markup)).splitlines()
        elif path.suffix in (".json", ".csv", ".tex", ".cff", ".bib", ".txt", ".md"):
            yield relative, path.read_text(encoding="utf-8").splitlines()
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as document:
                for name in document.namelist():
                    if name.startswith("word/") and name.endswith(".xml"):
                        xml = document.read(name).decode("utf-8")
                        paragraphs = [
                            html.unescape("".join(_RUN_TEXT.findall(p)))
                            for p in _PARAGRAPH.findall(xml)
                        ]
                        yield f"{relative}!{name}", paragraphs


_EDGES = " \t.,:;()–-·|"


def _texts_by_file(site: Path, own_pages: set[str]) -> dict[str, set[str]]:
    texts: dict[str, set[str]] = {}
    for name, nodes in _published_texts(site, own_pages):
        texts.setdefault(name, set()).update(nodes)
    return texts


@pytest.fixture(scope="module", params=TRANSLATED)
def translated_example(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, Path]:
    language: str = request.param
    root = tmp_path_factory.mktemp(f"example-{language}")
    for folder in ("codebook", "content"):
        shutil.copytree(REPO / folder, root / folder)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: en\n" in config
    (root / "mkdocs.yml").write_text(
        config.replace("  language: en\n", f"  language: {language}\n")
    )
    site = build_site(root, site_dir=str(root / "site"))
    return language, root, site


def test_no_english_that_qualsite_wrote_is_left_in_any_output(
    translated_example: tuple[str, Path, Path], example_site: Path
) -> None:
    """Each piece of text that reads the same as in the English build of the
    same study is the study's own or English qualsite left: it fails when
    it is one of qualsite's messages (or holds one of three words or more)."""
    language, root, site = translated_example
    fragments = _english_fragments(language)
    assert len(fragments) > 200, "the check has English to look for"
    whole = {f.strip(_EDGES) for f in fragments}
    long = [f for f in fragments if len(f.split()) >= 3]
    study_values = {v.strip(_EDGES) for v in _study_sources(root).splitlines()}
    own_words = "\n".join(p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md"))
    own = _own_pages(root)
    english = _texts_by_file(example_site, own)
    translated = _texts_by_file(site, own)
    assert translated.keys() == english.keys(), "the same files, at the same addresses"
    found: dict[str, list[str]] = {}
    for name, nodes in translated.items():
        for node in nodes & english[name]:
            piece = " ".join(node.split()).strip(_EDGES)
            if not piece or piece.lower() in study_values:
                continue  # the study's own words, as it wrote them
            # The Print page's contents list the study's own pages' headings.
            if name == "print/index.html" and piece in own_words:
                continue
            hits = [piece] if piece in whole else [f for f in long if f in piece]
            for hit in hits:
                found.setdefault(hit, []).append(name)
    assert len(translated) > 50, "the check reads the whole site"
    assert not found, f"{language}: English left in the output: " + "; ".join(
        f"{fragment!r} in {names[:3]}" for fragment, names in sorted(found.items())[:20]
    )


def test_pages_and_word_files_say_their_language(
    translated_example: tuple[str, Path, Path],
) -> None:
    language, _root, site = translated_example
    tag = i18n.load_language(language).tag
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        assert f'<html lang="{language}"' in page.read_text(encoding="utf-8"), page
    documents = sorted(site.rglob("*.docx"))
    assert documents, "the example publishes Word files"
    for path in documents:
        with zipfile.ZipFile(path) as document:
            xml = "".join(
                document.read(name).decode("utf-8")
                for name in document.namelist()
                if name.endswith(".xml")
            )
        languages = set(re.findall(r'<w:lang [^>]*w:val="([^"]+)"', xml))
        assert languages == {tag}, (path.name, languages)


@pytest.mark.parametrize("translated_example", ["de"], indirect=True)
def test_counts_and_dates_in_german(translated_example: tuple[str, Path, Path]) -> None:
    _language, _root, site = translated_example
    catalogue = read_catalogue(shipped_catalogue("de"), "de")
    message = catalogue.get(("%(num)d excerpt", "%(num)d excerpts"))
    assert message is not None
    one, many = (re.escape(form).replace(re.escape("%(num)d"), "(\\d+)") for form in message.string)
    tree = _said((site / "categories" / "index.html").read_text(encoding="utf-8"))
    singular = [int(n) for n in re.findall(rf"(?<!\d){one}(?!\w)", tree)]
    plural = [int(n) for n in re.findall(rf"(?<!\d){many}(?!\w)", tree)]
    assert plural and all(n != 1 for n in plural), "German plural forms on the tree"
    assert all(n == 1 for n in singular)
    trail = (site / "audit-trail" / "index.html").read_text(encoding="utf-8")
    months = "|".join(babel.dates.get_month_names("wide", locale="de").values())
    assert re.search(rf"\d{{1,2}}\. ({months}) \d{{4}}", trail), "a date in German"


@pytest.mark.parametrize("translated_example", ["fr"], indirect=True)
def test_french_keeps_its_no_break_space_before_a_colon(
    translated_example: tuple[str, Path, Path],
) -> None:
    _language, _root, site = translated_example
    labels = []
    for page in (site / "categories").rglob("index.html"):
        html_text = page.read_text(encoding="utf-8")
        labels += re.findall(r'class="qs-excerpt__also">([^<]*?)(\s?):', html_text)
    assert labels, "the example has excerpts coded to more than one category"
    assert {space for _words, space in labels} == {"\u00a0"}
    assert {words for words, _space in labels} <= {"Également codé dans", "Codé dans"}
    # So do the catalogue's own messages ("Partie de :", "; ").
    tree = (site / "categories" / "index.html").read_text(encoding="utf-8")
    assert "\u00a0:" in tree and " :" not in _said(tree)


# -- a language qualsite does not ship ----------------------------------------


def test_a_study_adds_a_language_with_its_own_catalogue(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study")
    config = root / "mkdocs.yml"
    replace_in_file(config, "name: material", "name: material\n  language: it")
    made = run_qualsite("translation", "it", cwd=root)
    assert made.returncode == 0, made.stderr
    po = root / "translations" / "it.po"
    catalogue = read_catalogue(po, "it")
    wanted = {
        "Categories": "Categorie",
    }
    for key, value in wanted.items():
        message = catalogue.get(key)
        assert message is not None, key
        message.string = value
    # Italian has a third form in CLDR (for millions), which the command's
    # header says: every form is filled in, or the message stays English.
    counts = catalogue.get(("%(num)d excerpt", "%(num)d excerpts"))
    assert counts is not None and len(counts.string) == catalogue.num_plurals
    counts.string = ("%(num)d estratto", *["%(num)d estratti"] * (catalogue.num_plurals - 1))
    po.write_bytes(_catalogue_bytes(catalogue))
    site = build_site(root, site_dir=str(tmp_path / "site"))
    categories = (site / "categories" / "index.html").read_text(encoding="utf-8")
    assert "Categorie" in categories
    assert re.search(r"\d+ estratt[oi]\b", categories)
    assert '<html lang="it"' in categories


def _catalogue_bytes(catalogue: Catalog) -> bytes:
    import io

    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalogue)
    return buffer.getvalue()


# -- a study's catalogue is text, and its mistakes are located ----------------


def test_a_study_translation_cannot_add_markup_to_a_page(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study")
    config = root / "mkdocs.yml"
    replace_in_file(config, "name: material", "name: material\n  language: it")
    (root / "translations").mkdir()
    (root / "translations" / "it.po").write_text(
        _po(
            "it",
            "nplurals=2; plural=(n != 1);",
            """\
            msgid "In the tree"
            msgstr "[Albero](javascript:alert(1)) <img src=x> {{ x }} **forte**"

            msgid "Categories"
            msgstr "# Categorie | a | b |"
            """,
        ),
        encoding="utf-8",
    )
    site = build_site(root, site_dir=str(tmp_path / "site"))
    # A sub-category's page says where it is "In the tree".
    page = (site / "categories" / "peer-support" / "index.html").read_text(encoding="utf-8")
    assert "[Albero](javascript:alert(1)) <img src=x> {{ x }} **forte**" in _said(page)
    assert 'href="javascript' not in page and "<img src=x>" not in page
    assert "<strong>forte</strong>" not in page
    tree = (site / "categories" / "index.html").read_text(encoding="utf-8")
    assert "# Categorie | a | b |" in _said(tree)
    assert "<table" not in tree


@pytest.mark.parametrize(
    ("entries", "line", "words"),
    [
        (
            'msgid "%(num)d excerpt"\nmsgid_plural "%(num)d excerpts"\n'
            'msgstr[0] "%(num)d estratto al 100 %"\nmsgstr[1] "%(num)d estratti"\n',
            7,
            "write a percent sign",
        ),
    ],
)
def test_a_percent_sign_that_would_break_a_page_is_refused_at_its_line(
    tmp_path: Path, entries: str, line: int, words: str
) -> None:
    folder = _study_catalogue(tmp_path, "it", entries)
    with pytest.raises(StudyError) as caught:
        i18n.load_language("it", folder)
    problem = caught.value.problems[0]
    assert (problem.location.line, words in problem.message) == (line, True)


def test_a_percent_sign_in_a_message_without_placeholders_is_a_percent_sign(
    tmp_path: Path, restore_language: None
) -> None:
    folder = _study_catalogue(tmp_path, "it", 'msgid "Categories"\nmsgstr "Categorie al 100 %"\n')
    i18n.activate(i18n.load_language("it", folder))
    from qualsite.render.templates import make_environment

    assert make_environment().from_string('{{ _("Categories") }}').render() == "Categorie al 100 %"


def test_an_unreadable_plural_rule_is_refused_at_its_header_line(tmp_path: Path) -> None:
    folder = _study_catalogue(
        tmp_path,
        "it",
        'msgid "Categories"\nmsgstr "Categorie"\n',
        plural="nplurals=2; plural=(n != ;",
    )
    with pytest.raises(StudyError) as caught:
        i18n.load_language("it", folder)
    problem = caught.value.problems[0]
    assert problem.location.line == 5
    assert "Plural-Forms" in problem.message and "nplurals=" in problem.message


def test_a_catalogue_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, restore_language: None
) -> None:
    folder = tmp_path / "translations"
    folder.mkdir()
    text = _po("it", "nplurals=2; plural=(n != 1);", 'msgid "Categories"\nmsgstr "Categorie"\n')
    (folder / "it.po").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    i18n.activate(i18n.load_language("it", folder))
    assert i18n._("Categories") == "Categorie"


# -- where the language comes from ----------------------------------------------


def test_mkdocs_own_theme_gives_its_locale(tmp_path: Path) -> None:
    root = write_study(
        tmp_path / "study",
        {
            "mkdocs.yml": """\
                site_name: Test study
                docs_dir: content
                theme:
                  name: mkdocs
                  locale: de
                plugins:
                  - search
                  - qualsite
                """
        },
    )
    site = build_site(root, site_dir=str(tmp_path / "site"))
    tree = _said((site / "categories" / "index.html").read_text(encoding="utf-8"))
    german = read_catalogue(shipped_catalogue("de"), "de").get("Categories")
    assert german is not None and german.string in tree


def test_a_plugin_language_unlike_the_theme_s_is_a_warning(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study")
    config = root / "mkdocs.yml"
    replace_in_file(config, "  - qualsite\n", "  - qualsite:\n      language: fr\n")
    built = run_qualsite("build", "--strict", cwd=root)
    assert built.returncode == 1
    assert "language is 'fr' but the theme's is 'en'" in built.stderr


def test_a_study_catalogue_of_a_shipped_language_shows_qualsite_s_wording(tmp_path: Path) -> None:
    made = run_qualsite("translation", "de", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "qualsite ships de" in made.stdout
    catalogue = read_catalogue(tmp_path / "translations" / "de.po", "de")
    categories = catalogue.get("Categories")
    assert categories is not None and categories.string == ""
    assert categories.auto_comments[-1] == "qualsite: Kategorien"
    # An empty msgstr keeps qualsite's wording.
    assert (
        i18n.load_language("de", tmp_path / "translations").translations.gettext("Categories")
        == "Kategorien"
    )


def test_the_bundle_readme_is_in_the_site_language(restore_language: None) -> None:
    from qualsite.bundle import readme
    from qualsite.study import load_study

    study = load_study(REPO / "codebook")
    english = readme(study, "Example")
    i18n.activate(i18n.load_language("de"))
    german = readme(study, "Example")
    assert "HOW TO OPEN IT" in english and "HOW TO OPEN IT" not in german
    assert "SO ÖFFNEN SIE ES" in german
    assert english.splitlines()[0] == german.splitlines()[0]  # the study's title, as written


def test_messages_to_the_researcher_stay_english_in_a_german_study(example_copy: Path) -> None:
    config = example_copy / "mkdocs.yml"
    replace_in_file(config, "  language: en\n", "  language: de\n")
    checked = run_qualsite("check", cwd=example_copy)
    said = checked.stdout + checked.stderr
    assert "items of COREQ not yet addressed: 1 Interviewer/facilitator; 2 Credentials" in said

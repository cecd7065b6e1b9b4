"""qualsite-search-early.js: while Material's worker builds its search index,
or answers a query the reader has typed past, the reader's query is answered
from a scan of the same documents, and the answer is the one Material's
search gives once it answers.

The first tests ask Material's own worker and the scan the same queries on
the example site's search index and compare what each returns, to the
score and the marked-up text. The others type into the example site's
search with Material's worker held back (its index is built, or a query of
one letter answered, only when the test lets it), so the early results are
seen before Material's, whatever the machine's speed."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_search_a11y import record_what_is_said

from conftest import Served
from helpers import REPO

EARLY = (REPO / "site_templates" / "qualsite-search-early.js").read_text(encoding="utf-8")
#: Run before the page's scripts: the browser's own Worker, before
#: qualsite-search.js wraps it.
KEEP_WORKER = "window.__RealWorker = window.Worker;"

#: Queries with Lunr's marks that the scan answers: required, left out,
#: a phrase (one starting outside ASCII), a stray quote, words cut at a
#: hyphen, with another word, capitals, prefixes, stop words.
MARKED_QUERIES = [
    "supervision",
    "Supervision",
    "sup",
    "supervision client",
    "burn out",
    "+caseload -supervision",
    "+caseload",
    '"case management"',
    '"über case"',
    '"Participant 3',
    "case-management",
    "case-management caseload",
    "well-being wellbeing",
    "68.6%",
    "values culture",
    "wellbeing",
    "the",
    "th",
    "supervision was",
    "zzzz",
]

#: Material's worker and the scan, asked the same queries on the site's
#: index: [query, Material's groups, the scan's groups or None].
COMPARE = """async ({queries, sweep, given}) => {
  const config = JSON.parse(document.getElementById('__config').textContent);
  const index = given
    || await (await fetch(new URL('search/search_index.json', location.href))).json();
  const worker = new window.__RealWorker(new URL(config.search, location.href));
  const ask = message => new Promise(resolve => {
    worker.addEventListener('message', event => resolve(event.data), {once: true});
    worker.postMessage(message);
  });
  await ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  const stopWords = await window.qualsiteEarlySearch.readStopWords(
    new URL(config.search, location.href).href, index.config.lang);
  const early = window.qualsiteEarlySearch({config: index.config, docs: index.docs}, stopWords);
  if (sweep) {
    // Every word of the index (stop words too), its first letter and its
    // first three.
    const cut = new RegExp(index.config.separator, 'g');
    const words = new Set();
    for (const doc of index.docs)
      for (const run of (doc.title + '<>' + doc.text).split(/<[^>]*>/))
        for (const word of run.split(cut)) if (word) words.add(word);
    const all = [...words];
    for (const query of new Set([...all, ...all.map(word => word.slice(0, 1)),
                                 ...all.map(word => word.slice(0, 3))]))
      queries.push(query);
  }
  const shape = item => [
    item.location, item.title, item.text, item.tags || null, item.score, Object.entries(item.terms),
  ];
  const out = [];
  for (const query of queries) {
    const theirs = (await ask({type: 2, data: query})).data.items.map(group => group.map(shape));
    const ours = early.search(query);
    out.push([query, theirs, ours && ours.items.map(group => group.map(shape))]);
  }
  worker.terminate();
  return out;
}"""


def _compare(
    page: Any,
    example: Served,
    queries: list[str],
    sweep: bool,
    index: dict[str, Any] | None = None,
) -> list[Any]:
    """Material's worker and the scan asked ``queries`` on the example
    site's search index, or on ``index``."""
    page.add_init_script(KEEP_WORKER)
    page.goto(example.base)
    arguments = {"queries": queries, "sweep": sweep, "given": index}
    return page.evaluate(COMPARE, arguments)  # type: ignore[no-any-return]


def test_the_early_answer_to_a_marked_query_is_materials_own(page: Any, example: Served) -> None:
    compared = _compare(page, example, list(MARKED_QUERIES), sweep=False)
    for query, theirs, ours in compared:
        assert ours == theirs, query
    found = {query: theirs for query, theirs, _ in compared}
    # A word the index leaves out is found by neither (only longer words
    # starting with it are), and not named missing.
    marked = [
        mark.lower()
        for group in found["the"]
        for item in group
        for mark in re.findall(r"<mark>(.*?)</mark>", item[1] + item[2])
    ]
    assert marked and "the" not in marked and all(mark.startswith("the") for mark in marked)
    assert all("was" not in dict(item[5]) for group in found["supervision was"] for item in group)
    # The comparison means something: most queries find documents, some
    # with their words marked, and the phrase and the required word differ
    # from the plain words.
    assert len(found["supervision"]) >= 3 and not found["zzzz"]
    assert any("<mark>" in item[2] for group in found["supervision"] for item in group)
    assert found['"case management"'] != found["case-management"]
    assert len(found["+caseload -supervision"]) < len(found["+caseload"])


def test_the_early_answer_to_every_word_of_the_index_is_materials_own(
    page: Any, example: Served
) -> None:
    compared = _compare(page, example, [], sweep=True)
    answered = [(query, theirs, ours) for query, theirs, ours in compared if ours is not None]
    assert len(answered) > 1000, "the sweep compared too few answers to say much"
    differ = [query for query, theirs, ours in answered if ours != theirs]
    assert not differ, f"{len(differ)} of {len(answered)} answers differ: {differ[:20]}"
    # Only what reads as Lunr's own syntax, or holds no word, is left to
    # Material.
    left = [query for query, _, ours in compared if ours is None]
    unread = [query for query in left if not re.search(r'[:*~^\\]|^[+"-]*$', query)]
    assert not unread and left, unread


def test_the_early_answer_on_awkward_text_is_materials_own(page: Any, example: Served) -> None:
    # What MkDocs can put in an index besides plain paragraphs: a title
    # copied unescaped, with a "<" and a ">" outside any tag; tags;
    # boosts; numbers; capitals; the same word repeated; empty fields.
    config = {**CONFIG, "fields": {**CONFIG["fields"], "tags": {"boost": 1000000}}}
    docs = [
        {"location": "a/", "title": "Ages <5 months, <2 years and >65 years", "text": ""},
        {"location": "a/#b", "title": "Under 5", "text": "<p>Months and years: 5 months.</p>"},
        {
            "location": "c/",
            "title": "Clinics",
            "text": "<p>Clinic clinic CLINIC 2019</p>",
            "tags": ["clinic work", "Years"],
            "boost": 2,
        },
        {"location": "c/#d", "title": "Years", "text": "<p>a &gt; b &amp; <code>years</code></p>"},
        {"location": "e/", "title": "", "text": "<p>2019 2020 20 years</p><p>Second</p>"},
    ]
    queries = [
        "months",
        "years",
        "2",
        "20",
        "clinic",
        "Clinic work",
        "+years -clinic",
        '"clinic work"',
        "yea",
        "b",
        "second years",
    ]
    compared = _compare(page, example, queries, sweep=False, index={"config": config, "docs": docs})
    for query, theirs, ours in compared:
        assert ours == theirs, query
    assert all(theirs for query, theirs, _ in compared if query != "b"), "queries that find nothing"


#: A search index as Material's search plugin writes one.
CONFIG = {
    "separator": "[\\s\\-]+",
    "lang": ["en"],
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000}, "text": {}},
}


#: Stop words for the tests that make up their own index (Lunr's list is
#: longer, and read from Material's worker by the scan itself).
STOP_WORDS = {"en": ["the", "was"]}


def _answers(
    page: Any,
    index: dict[str, Any],
    queries: list[str],
    stop_words: dict[str, list[str]] | None = STOP_WORDS,
) -> list[Any]:
    """The scan's answer to each query (None for none): each document's
    location, title, text and the words typed it has, group by group."""
    page.set_content("<!doctype html><title>early</title>")
    page.add_script_tag(content=EARLY)
    return page.evaluate(  # type: ignore[no-any-return]
        """({index, queries, stopWords}) => {
            const early = window.qualsiteEarlySearch(index, stopWords);
            return queries.map(query => {
                const answer = early.search(query);
                return answer && answer.items.map(group => group.map(item => ({
                    location: item.location, title: item.title, text: item.text,
                    terms: Object.entries(item.terms),
                })));
            });
        }""",
        {"index": index, "queries": queries, "stopWords": stop_words},
    )


def test_a_query_the_scan_does_not_answer_is_left_to_material(page: Any) -> None:
    index = {
        "config": CONFIG,
        "docs": [{"location": "a/", "title": "A", "text": "<p>supervision</p>"}],
    }
    queries = ["-supervision", "title:supervision", "sup*", "supervision~1", "super^2", "  ", "sup"]
    answers = dict(zip(queries, _answers(page, index, queries), strict=True))
    assert [query for query, answer in answers.items() if answer is None] == queries[:-1]
    assert answers["sup"] == [
        [
            {
                "location": "a/",
                "title": "A",
                "text": "<p><mark>supervision</mark></p>",
                "terms": [["sup", True]],
            }
        ]
    ]


def test_words_lunr_leaves_out_are_not_found_nor_named_missing(page: Any) -> None:
    docs = [{"location": "a/", "title": "A", "text": "<p>the theory was tested</p>"}]
    index = {"config": CONFIG, "docs": docs}
    the, th, tested_was = _answers(page, index, ["+the", "th", "tested was"])
    assert the == []
    assert th == [
        [
            {
                "location": "a/",
                "title": "A",
                "text": "<p>the <mark>theory</mark> was tested</p>",
                "terms": [["th", True]],
            }
        ]
    ]
    assert tested_was[0][0]["terms"] == [["tested", True]]


def test_without_lunrs_stop_words_nothing_is_answered_early(page: Any) -> None:
    docs = [{"location": "a/", "title": "A", "text": "<p>supervision</p>"}]
    index = {"config": CONFIG, "docs": docs}
    assert _answers(page, index, ["supervision"], stop_words=None) == [None]
    assert _answers(page, index, ["supervision"], stop_words={"de": []}) == [None]


def test_early_results_keep_the_index_text_escaped(page: Any) -> None:
    text = "<p>&lt;img src=x onerror=alert(1)&gt; said &amp; done</p>"
    index = {
        "config": CONFIG,
        "docs": [
            {"location": "a/", "title": "A page", "text": ""},
            {"location": "a/#x", "title": "An excerpt", "text": text},
        ],
    }
    ((section, page_found),) = _answers(page, index, ["src=x said"])[0]
    assert page_found["location"] == "a/"  # the page, added after its section
    assert section["text"] == (
        "<p>&lt;img <mark>src=x</mark> onerror=alert(1)&gt; <mark>said</mark> &amp; done</p>"
    )
    page.evaluate("html => { document.body.innerHTML = html; }", section["text"])
    assert page.locator("img").count() == 0


@pytest.mark.parametrize(
    "setting",
    [
        {"lang": ["ja"]},
        {"lang": ["en", "de"]},
        {"separator": "[\\s\\-,]+"},
        {"pipeline": ["stopWordFilter", "stemmer"]},
        {"pipeline": ["trimmer"]},
        {"lang": ["vi"]},
    ],
    ids=["segmented", "two languages", "own separator", "stemmed", "trimmed", "stemmed when typed"],
)
def test_an_index_whose_words_lunr_holds_otherwise_is_not_answered_early(
    page: Any, setting: dict[str, Any]
) -> None:
    docs = [{"location": "a/", "title": "A", "text": "<p>supervision</p>"}]
    assert _answers(page, {"config": CONFIG, "docs": docs}, ["supervision"]) != [None]
    index = {"config": {**CONFIG, **setting}, "docs": docs}
    assert _answers(page, index, ["supervision"]) == [None]


# -- in the example site, with Material's worker held back --------------------

#: Put before Material's worker script: the index the page sends it is
#: built only once the test posts "build" on this channel, and a query of
#: HELD_QUERY (if it is set) answered only once it posts "answer".
HOLD = """
const __listen = self.addEventListener.bind(self);
let __build = null;
let __answer = null;
new BroadcastChannel('qualsite-test-hold').onmessage = ({data}) => {
  if (data === 'build' && __build) __build();
  if (data === 'answer' && __answer) __answer();
};
self.addEventListener = (type, handler, ...rest) => __listen(type, event => {
  const message = event.data || {};
  if (message.type === 0) {
    new Promise(resolve => { __build = resolve; }).then(() => handler(event));
    return;
  }
  if (message.type === 2 && message.data === HELD_QUERY) {
    new Promise(resolve => { __answer = resolve; }).then(() => handler(event));
    return;
  }
  handler(event);
}, ...rest);
"""

#: Run before the page's scripts: counts the answers of Material's worker
#: that reach the page (window.__answers), its own, not the early ones, and
#: lists the queries that go out to it (window.__posted).
COUNT_ANSWERS = """
window.__answers = 0;
window.__posted = [];
const __Worker = window.Worker;
window.Worker = class extends __Worker {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', event => {
      if (event.isTrusted && event.data && event.data.type === 3) window.__answers += 1;
    });
  }
  postMessage(message, ...rest) {
    if (message && message.type === 2) window.__posted.push(message.data);
    return super.postMessage(message, ...rest);
  }
};
"""

#: Run before the page's scripts: records each search the scan is asked to
#: make (window.__early.asked) and whether it answered (.answered), once the
#: index has been sent to Material's worker (.made); the scan is .scan.
SPY = """
window.__early = {made: 0, asked: [], answered: [], scan: null};
Object.defineProperty(window, 'qualsiteEarlySearch', {
  configurable: true,
  set(make) {
    Object.defineProperty(window, 'qualsiteEarlySearch', {
      configurable: true, writable: true,
      value: (index, stopWords) => {
        const early = make(index, stopWords);
        const searching = early.searching.bind(early);
        early.searching = function* (query) {
          window.__early.asked.push(query);
          const answer = yield* searching(query);
          window.__early.answered.push([query, answer !== null]);
          return answer;
        };
        window.__early.made += 1;
        window.__early.scan = early;
        return early;
      },
    });
  },
});
"""

RESULTS = ".md-search-result__list > li"


def _held_page(browser: Any, example: Served, held_query: str | None) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    held = f"const HELD_QUERY = {'null' if held_query is None else repr(held_query)};"

    def hold(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=held + HOLD + response.text())

    context.route("**/workers/search.*.min.js", hold)
    page = context.new_page()
    page.clock.install()
    page.add_init_script(SPY)
    page.add_init_script(COUNT_ANSWERS)
    page.goto(example.base)
    page.wait_for_function("() => window.__early.made === 1")
    yield page
    context.close()


@pytest.fixture
def held(browser: Any, example: Served) -> Iterator[Any]:
    """The example's home page, its search worker held back, the scan
    watched, and the page's clock the test's to move on (it runs as well)."""
    yield from _held_page(browser, example, None)


@pytest.fixture
def behind(browser: Any, example: Served) -> Iterator[Any]:
    """As ``held``, the index built, and a query of "s" left unanswered by
    the worker until the test lets it answer (``_answer``), as a query of one
    letter keeps it busy for seconds on a big study."""
    for page in _held_page(browser, example, "s"):
        _build(page)
        _ready(page)
        # Material's first query, of the empty box, answered at once.
        page.wait_for_function("() => window.__answers === 1", timeout=30_000)
        yield page


def _build(page: Any) -> None:
    page.evaluate("() => new BroadcastChannel('qualsite-test-hold').postMessage('build')")


def _answer(page: Any) -> None:
    page.evaluate("() => new BroadcastChannel('qualsite-test-hold').postMessage('answer')")


def _ready(page: Any) -> None:
    """Material's worker has built its index (Material says it is ready)."""
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent"
        " === 'Type to start searching'",
        timeout=30_000,
    )


def _shown(page: Any) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        f"{RESULTS} a.md-search-result__link", "links => links.map(link => link.href)"
    )


def _early_results_for(page: Any, word: str) -> None:
    """``word`` put in the search box at once, and its early results shown."""
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").fill(word)
    page.wait_for_function(
        "word => window.__early.answered.some(([query]) => query === word)", arg=word
    )


def _materials_in_their_place(page: Any) -> None:
    """Material's worker let build its index, and its results drawn in
    place of the early ones (their links made anew)."""
    first = page.locator(f"{RESULTS} a.md-search-result__link").first.element_handle()
    _build(page)
    page.wait_for_function("link => !link.isConnected", arg=first, timeout=30_000)


def _results_shown(page: Any) -> None:
    page.wait_for_function(
        f"() => document.querySelectorAll({RESULTS!r}).length > 0", timeout=30_000
    )


def test_a_reader_typing_before_the_index_is_built_sees_results_at_once(held: Any) -> None:
    held.locator("input.md-search__input").click()
    held.keyboard.type("supervision")
    held.wait_for_function(
        "() => window.__early.answered.some(([query]) => query === 'supervision')"
    )
    meta = held.text_content(".md-search-result__meta")
    early = _shown(held)
    marks = held.eval_on_selector_all(
        ".md-search-result__list mark", "marks => marks.map(mark => mark.textContent)"
    )
    assert marks and all(mark.lower().startswith("supervision") for mark in marks)
    assert meta == f"{held.locator(RESULTS).count()} matching documents"
    assert ["supervision", True] in held.evaluate("window.__early.answered")

    # Material's own answer replaces the list with the same results, and
    # writes the same count.
    _materials_in_their_place(held)
    _results_shown(held)
    assert _shown(held) == early
    assert held.text_content(".md-search-result__meta") == meta


def test_the_count_is_said_once_for_early_results_and_materials(held: Any) -> None:
    record_what_is_said(held)
    # One change to the box (typing letter by letter on a slow machine could
    # let a shorter query's count be said first).
    _early_results_for(held, "supervision")
    held.clock.run_for(1000)  # the reader has stopped typing
    held.wait_for_function("() => window.__said.length > 0")
    meta = held.text_content(".md-search-result__meta")
    assert [text.strip() for text in held.evaluate("window.__said")] == [meta]

    _materials_in_their_place(held)
    held.clock.run_for(1000)
    # Material's answer to the same query, with the same count, is not news.
    assert held.text_content(".md-search-result__meta") == meta
    assert [text.strip() for text in held.evaluate("window.__said")] == [meta]
    # A new query's count is said, even where it is the same number.
    held.keyboard.press("Backspace")
    held.wait_for_function("() => window.__said.length === 2", timeout=30_000)
    assert held.evaluate("window.__said")[1].strip() == held.text_content(".md-search-result__meta")


#: Where the keyboard is in the results: the link or the "N more on this
#: page" focused, its group (by its first link), and whether it is open.
WHERE = """() => {
    const active = document.activeElement;
    const group = active.closest('li');
    const more = active.closest('details');
    return {
        connected: active.isConnected,
        href: active.href || null,
        summary: active.matches('summary'),
        group: group && group.querySelector('a[href]').href,
        open: !!(more && more.open),
    };
}"""


@pytest.mark.parametrize("into_the_group", [True, False], ids=["a result in a group", "its more"])
def test_the_reader_stays_where_they_were_when_materials_replace_the_early_ones(
    held: Any, into_the_group: bool
) -> None:
    _early_results_for(held, "supervision")
    # To the first result, then its group's "N more on this page"; or, that
    # opened, to the first of its results.
    held.keyboard.press("ArrowDown")
    held.keyboard.press("ArrowDown")
    if into_the_group:
        held.keyboard.press("Enter")
        held.keyboard.press("ArrowDown")
    where = held.evaluate(WHERE)
    assert where["summary"] is not into_the_group
    assert (where["href"] is not None) is into_the_group
    _materials_in_their_place(held)
    # The element focused now is Material's own, for the same place.
    assert held.evaluate(WHERE) == where


def test_coming_back_to_the_box_does_not_search_again(held: Any) -> None:
    box = held.locator("input.md-search__input")
    _early_results_for(held, "supervision")
    asked = held.evaluate("window.__early.asked.length")
    held.keyboard.press("ArrowDown")  # to the first result
    held.keyboard.press("ArrowUp")  # and back to the box
    assert held.evaluate("() => document.activeElement.matches('input.md-search__input')")
    box.blur()
    box.focus()
    assert held.evaluate("window.__early.asked.length") == asked


def test_emptying_the_box_takes_the_early_results_away(held: Any) -> None:
    box = held.locator("input.md-search__input")
    box.click()
    before = held.text_content(".md-search-result__meta")
    held.keyboard.type("caseload")
    _results_shown(held)
    box.fill("")
    held.wait_for_function(f"() => document.querySelectorAll({RESULTS!r}).length === 0")
    assert held.text_content(".md-search-result__meta") == before


def test_a_query_left_to_material_shows_nothing_until_it_answers(held: Any) -> None:
    held.locator("input.md-search__input").click()
    held.keyboard.type("supervision~1")
    # The scan has been asked and has not answered (an edit distance is
    # Lunr's to read): nothing is shown until Material answers.
    held.wait_for_function(
        "() => window.__early.answered.some(([query]) => query === 'supervision~1')"
    )
    assert ["supervision~1", False] in held.evaluate("window.__early.answered")
    assert held.locator(RESULTS).count() == 0
    _build(held)
    _results_shown(held)


def test_once_the_index_is_built_material_alone_answers_a_reader_it_keeps_up_with(
    held: Any,
) -> None:
    _build(held)
    _ready(held)
    # The worker answers Material's first query, of the empty box; then a
    # letter at a time, each answered before the next is typed.
    held.wait_for_function("() => window.__answers === 1", timeout=30_000)
    held.locator("input.md-search__input").click()
    # Coming to the box reads the documents, for when the worker falls behind.
    held.wait_for_function("() => window.__early.scan.prepared()", timeout=30_000)
    for typed, letter in enumerate("supervision", start=2):
        held.keyboard.press(letter)
        held.wait_for_function("n => window.__answers === n", arg=typed, timeout=30_000)
    _results_shown(held)
    assert held.evaluate("window.__early.asked") == []


def test_a_word_typed_past_a_query_the_worker_is_busy_with_is_answered_at_once(
    behind: Any,
) -> None:
    box = behind.locator("input.md-search__input")
    box.click()
    behind.keyboard.type("supervision")
    # The worker is still on "s": the scan answers the word, and Material
    # writes its count, as it does for its worker's answers.
    behind.wait_for_function(
        "() => window.__early.answered.some(([query]) => query === 'supervision')"
    )
    assert ["supervision", True] in behind.evaluate("window.__early.answered")
    assert behind.evaluate("window.__answers") == 1  # the empty box's
    # The worker was not behind when "s" was typed: the scan was not asked.
    assert "s" not in behind.evaluate("window.__early.asked")
    _results_shown(behind)
    early = _shown(behind)
    meta = behind.text_content(".md-search-result__meta")
    assert meta == f"{behind.locator(RESULTS).count()} matching documents"
    marks = behind.eval_on_selector_all(
        ".md-search-result__list mark", "marks => marks.map(mark => mark.textContent)"
    )
    assert marks and all(mark.lower().startswith("supervision") for mark in marks)

    # The worker answers "s", which is not shown; then the word, in place of
    # the early results, the same.
    first = behind.locator(f"{RESULTS} a.md-search-result__link").first.element_handle()
    _answer(behind)
    behind.wait_for_function("link => !link.isConnected", arg=first, timeout=30_000)
    _results_shown(behind)
    assert behind.evaluate("window.__answers") == 3  # to "s", and to the word
    assert _shown(behind) == early
    assert behind.text_content(".md-search-result__meta") == meta
    assert box.input_value() == "supervision"


def test_the_count_is_said_once_when_the_workers_answer_follows_the_scans(
    behind: Any,
) -> None:
    record_what_is_said(behind)
    behind.locator("input.md-search__input").click()
    behind.keyboard.type("supervision")
    behind.wait_for_function(
        "() => window.__early.answered.some(([query]) => query === 'supervision')"
    )
    behind.clock.run_for(1000)  # the reader has stopped typing
    behind.wait_for_function("() => window.__said.length > 0")
    meta = behind.text_content(".md-search-result__meta")
    assert [text.strip() for text in behind.evaluate("window.__said")] == [meta]
    _answer(behind)
    behind.wait_for_function("() => window.__answers === 3", timeout=30_000)
    behind.clock.run_for(1000)
    assert [text.strip() for text in behind.evaluate("window.__said")] == [meta]


def test_a_reader_who_never_searches_costs_the_page_no_scan(held: Any) -> None:
    # The index has been sent to the worker (the fixture waits for it), and
    # the scan has read nothing.
    assert held.evaluate("window.__early.asked") == []
    held.locator("input.md-search__input").click()
    held.wait_for_function("() => window.__early.answered.length > 0")
    # Coming to the box reads the documents; nothing is asked of them.
    assert held.evaluate("window.__early.answered") == [["", False]]


def test_the_search_benchmark_times_both_answers_on_the_example(
    browser: Any, example_site: Path
) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import search_latency
    finally:
        sys.path.pop(0)
    timings = search_latency.measure_search(
        example_site, repeats=1, words=("supervision", "cope"), browser=browser
    )
    assert [(t.query, t.first) for t in timings] == [
        ("supervision", True),
        ("cope", False),
        ("cope", True),
        ("supervision", False),
    ]
    for timing in timings:
        assert re.fullmatch(r"\d+ matching documents?", timing.meta), timing
        assert timing.shown > 0
        # Material's own results come with the first ones, or after them.
        assert 0 < timing.seconds <= timing.full_seconds


def _marks(page: Any) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        ".md-search-result__list mark", "marks => marks.map(mark => mark.textContent.toLowerCase())"
    )


def _early_answered(page: Any, query: str) -> None:
    page.wait_for_function(
        "query => window.__early.answered.some(([asked]) => asked === query)", arg=query
    )


def test_typing_back_to_the_query_the_worker_is_on_shows_it_and_asks_it_once(
    behind: Any,
) -> None:
    behind.locator("input.md-search__input").click()
    behind.keyboard.type("sx")
    _early_answered(behind, "sx")
    assert behind.text_content(".md-search-result__meta") == "No matching documents"
    # Back to "s", the query the worker is on: the early "sx" results are
    # not left under it.
    behind.keyboard.press("Backspace")
    _early_answered(behind, "s")
    _results_shown(behind)
    assert _marks(behind) and all(mark.startswith("s") for mark in _marks(behind))
    _answer(behind)
    behind.wait_for_function("() => window.__answers === 2", timeout=30_000)
    # Its answer is the newest: "s" is not asked a second time.
    assert behind.evaluate("window.__posted") == ["", "s"]
    assert all(mark.startswith("s") for mark in _marks(behind))


@pytest.mark.parametrize("how", ["Backspace", "the Clear button"])
def test_emptying_the_box_while_the_worker_is_behind_clears_the_results_at_once(
    behind: Any, how: str
) -> None:
    behind.locator("input.md-search__input").click()
    behind.keyboard.type("supervision")
    _early_answered(behind, "supervision")
    _results_shown(behind)
    if how == "Backspace":
        behind.keyboard.press("ControlOrMeta+A")
        behind.keyboard.press("Backspace")
    else:
        behind.locator('.md-search button[type="reset"]').click()
    behind.wait_for_function(f"() => document.querySelectorAll({RESULTS!r}).length === 0")
    assert behind.input_value("input.md-search__input") == ""
    assert behind.text_content(".md-search-result__meta") == "Type to start searching"
    assert behind.evaluate("window.__answers") == 1  # the worker is still on "s"


def test_a_query_left_to_material_keeps_the_results_shown_until_the_worker_answers(
    behind: Any,
) -> None:
    behind.locator("input.md-search__input").click()
    behind.keyboard.type("supervision")
    _early_answered(behind, "supervision")
    _results_shown(behind)
    shown, meta = _shown(behind), behind.text_content(".md-search-result__meta")
    behind.keyboard.type("~1")
    _early_answered(behind, "supervision~1")
    assert ["supervision~1", False] in behind.evaluate("window.__early.answered")
    # As in Material's search while its worker is busy: the last results
    # stay, and no count is made up for the query.
    assert _shown(behind) == shown
    assert behind.text_content(".md-search-result__meta") == meta
    _answer(behind)
    behind.wait_for_function("() => window.__answers === 3", timeout=30_000)
    assert behind.evaluate("window.__posted")[-1] == "supervision~1"


def test_an_answer_to_an_older_query_does_not_replace_the_results_of_a_pasted_word(
    behind: Any,
) -> None:
    box = behind.locator("input.md-search__input")
    box.click()
    behind.keyboard.type("s")
    box.fill("supervision")  # an input event, and no key released
    _early_answered(behind, "supervision")
    _results_shown(behind)
    shown = _shown(behind)
    _answer(behind)
    behind.wait_for_function("() => window.__answers === 2", timeout=30_000)
    # The worker's answer to "s" is not drawn over the word's results.
    assert _shown(behind) == shown
    assert all(mark.startswith("supervision") for mark in _marks(behind))

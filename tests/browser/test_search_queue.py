"""qualsite-search.js: Material's search worker is sent the newest query,
not every letter typed, and a reader is never shown the results of letters
they have typed past.

The first tests drive the script against a stand-in worker whose answers the
test releases one by one, so what is sent and shown does not depend on the
machine's speed; the last types into the example site's real search."""

from __future__ import annotations

from typing import Any

from conftest import Served
from helpers import REPO

SCRIPT = (REPO / "site_templates" / "qualsite-search.js").read_text(encoding="utf-8")

#: A Worker that answers nothing by itself: the test reads what was posted
#: (window.__posted) and makes it answer (window.__answer(data)).
STAND_IN = """() => {
window.__posted = [];
window.__workers = [];
window.Worker = class extends EventTarget {
  constructor(url) { super(); this.url = url; window.__workers.push(this); }
  postMessage(message) { window.__posted.push(message); }
};
window.__answer = data => {
  window.__workers[0].dispatchEvent(new MessageEvent('message', {data}));
};
}"""

#: What Material's bundle does: a worker, a listener for its answers.
MATERIAL = """() => {
window.__shown = [];
const worker = new Worker('search.js');
worker.addEventListener('message', event => window.__shown.push(event.data));
window.__send = message => worker.postMessage(message);
}"""


def _prepare(page: Any) -> None:
    page.set_content("<!doctype html><title>search</title>")
    page.evaluate(STAND_IN)
    page.add_script_tag(content=SCRIPT)
    page.evaluate(MATERIAL)


def _query(value: str) -> dict[str, object]:
    return {"type": 2, "data": value}


def _result(value: str) -> dict[str, object]:
    return {"type": 3, "data": {"items": [], "query": value}}


def test_letters_typed_while_the_index_builds_go_out_as_the_last_one(page: Any) -> None:
    _prepare(page)
    page.evaluate("m => window.__send(m)", {"type": 0, "data": {"docs": []}})
    for value in ("s", "su", "sup"):
        page.evaluate("m => window.__send(m)", _query(value))
    assert page.evaluate("window.__posted") == [{"type": 0, "data": {"docs": []}}]
    page.evaluate("() => window.__answer({type: 1})")
    assert page.evaluate("window.__posted")[1:] == [_query("sup")]
    assert page.evaluate("window.__shown") == [{"type": 1}]
    page.evaluate("d => window.__answer(d)", _result("sup"))
    assert page.evaluate("window.__shown") == [{"type": 1}, _result("sup")]


def test_an_answer_overtaken_by_newer_letters_is_not_shown(page: Any) -> None:
    _prepare(page)
    page.evaluate("m => window.__send(m)", {"type": 0, "data": {}})
    page.evaluate("() => window.__answer({type: 1})")
    page.evaluate("m => window.__send(m)", _query("s"))
    page.evaluate("m => window.__send(m)", _query("su"))
    page.evaluate("m => window.__send(m)", _query("sup"))
    assert page.evaluate("window.__posted")[1:] == [_query("s")]
    # "s" answered: the reader has typed on, so its results are not shown
    # and the newest query goes out ("su" was overtaken before it was sent).
    page.evaluate("d => window.__answer(d)", _result("s"))
    assert page.evaluate("window.__posted")[1:] == [_query("s"), _query("sup")]
    assert page.evaluate("window.__shown") == [{"type": 1}]
    page.evaluate("d => window.__answer(d)", _result("sup"))
    assert page.evaluate("window.__shown") == [{"type": 1}, _result("sup")]
    # Idle again: the next query goes out at once.
    page.evaluate("m => window.__send(m)", _query("supe"))
    assert page.evaluate("window.__posted")[-1] == _query("supe")


def test_typing_letter_by_letter_shows_the_whole_words_results(
    browser: Any, example: Served
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(example.base)
        scripts = page.eval_on_selector_all("script[src]", "s => s.map(e => e.src)")
        early = [i for i, src in enumerate(scripts) if src.endswith("qualsite-search-early.js")]
        ours = [i for i, src in enumerate(scripts) if src.endswith("qualsite-search.js")]
        bundle = [i for i, src in enumerate(scripts) if "/javascripts/bundle." in src]
        assert early and ours and bundle and early[0] < ours[0] < bundle[0], scripts
        page.locator("input.md-search__input").click()
        page.keyboard.type("supervision")
        # Results of a shorter query may show for a moment when the machine
        # is slow to type (nothing newer was waiting when they came); what
        # must hold is that the last results shown are the whole word's.
        page.wait_for_function(
            """() => {
                const marks = [...document.querySelectorAll('.md-search-result__list mark')];
                return marks.length > 0
                    && marks.every(m => m.textContent.toLowerCase().startsWith('supervis'));
            }""",
            timeout=30_000,
        )
        assert page.input_value("input.md-search__input") == "supervision"
    finally:
        context.close()

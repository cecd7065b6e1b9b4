"""How soon Material's search shows a reader its first results on a built site.

The site is served on 127.0.0.1 (``http.server`` in a thread) and opened in
Chromium through Playwright, 1280 pixels wide. As a reader would, the script
clicks the search box as soon as the page has loaded and types a word, a key
every ``KEY_DELAY_MS`` milliseconds (each pressed and released at once);
then it selects what it typed and types another word. Each time it measures
how long after the last keystroke (its keydown) the first results of the
whole word are painted.

Material's search runs in a web worker that first fetches the index and
builds it, and gets one query for each key released: the first search after
the page loads waits for the index, the second does not, but may wait for
the queries of the letters typed before. Until the index is built, and
while the worker answers a query the reader has typed past,
qualsite-search-early.js answers from a scan of the same documents, and
those early results are given to Material's list as if from its worker.
The page's ``Worker`` is wrapped to see the queries go out and the results
come back (the worker's in order, one for each query; the early ones are
events the page dispatches, not the worker's, and carry the box's value);
the results are painted in the frame requested when they arrive (Material
renders them in that same task), and the time is taken as that frame
begins. The first results of the word are whichever come first; the time
to Material's own results is given too.

Both words are tried in both places, each order in a fresh browser context
(no cache): a word in about four excerpts out of ten and a rarer one, a year
in about one excerpt in fifty.

    python benchmarks/search_latency.py SITE_DIR [--repeats 3]    # a site already built
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

#: A word of the synthetic study's vocabulary (in about 40 % of excerpts).
COMMON = "supervision"
#: A year from the excerpts with numbers in (in about 2 % of excerpts).
RARE = "2019"
#: The time between two keys, as a reader types (about 60 words a minute).
KEY_DELAY_MS = 150
#: How long to wait for the results of one search before giving up.
TIMEOUT_MS = 120_000

#: Run before the page's own scripts: times each key pressed, each query
#: sent to the search worker and each result it sends back.
_INSTRUMENT = """
(() => {
  const log = window.__qsSearch = {
    keys: [], queries: [], results: [], setup: null, ready: null, loaded: null,
  };
  addEventListener('load', () => { log.loaded = performance.now(); });
  document.addEventListener('keydown', () => { log.keys.push(performance.now()); }, true);
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      // Added before Material's own listener, which renders the results in
      // the same task: the frame requested here is the one that paints them.
      this.addEventListener('message', event => {
        const type = event.data && event.data.type;
        if (type === 1) log.ready = performance.now();
        if (type !== 3) return;
        const box = document.querySelector('input.md-search__input');
        const result = {
          arrived: performance.now(), painted: null, shown: 0, meta: '',
          early: !event.isTrusted, value: box ? box.value : '',
        };
        log.results.push(result);
        requestAnimationFrame(() => {
          result.painted = performance.now();
          const list = document.querySelector('.md-search-result__list');
          result.shown = list ? list.children.length : 0;
          const meta = document.querySelector('.md-search-result__meta');
          result.meta = meta ? meta.textContent.trim() : '';
        });
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 0) log.setup = performance.now();
      if (message && message.type === 2) {
        log.queries.push({value: message.data, sent: performance.now()});
      }
      return super.postMessage(message, ...rest);
    }
  };
})();
"""


@dataclass
class SearchTiming:
    """One word typed into the search box."""

    query: str
    first: bool  # the first search after the page loaded
    seconds: float  # from the last keystroke to the word's first results painted
    early: bool  # those were the early results, made while the index was built
    full_seconds: float  # from the last keystroke to Material's own results painted
    shown: int  # results on screen then
    meta: str  # what the results' heading said ("1,234 matching documents")
    setup_after_load: float  # when the index, fetched and parsed, went to the worker
    ready_after_load: float  # when the worker had built it (both after the load event)
    queued: int  # earlier queries the worker answered after the last keystroke


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that leaves while a file is being sent is not a failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` on 127.0.0.1 (a free port), for the time of the block."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def unavailable() -> str | None:
    """Why the search can't be measured here (no Playwright, no Chromium), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if _chromium() is None:
        return "Chromium not found (apt-get install chromium, or set QUALSITE_CHROMIUM)"
    return None


def _chromium() -> str | None:
    from qualsite.chromium import find_chromium

    return find_chromium()


def measure_search(
    site: Path,
    repeats: int = 3,
    words: tuple[str, str] = (COMMON, RARE),
    browser: Any = None,
) -> list[SearchTiming]:
    """Each word of ``words`` typed first after the page loads, then second,
    on ``site`` served locally, ``repeats`` times each, the orders taking
    turns; each time in a new browser context, which has nothing cached.
    In ``browser`` (a Playwright browser) if given, else in a Chromium of
    its own."""
    if browser is not None:
        return _measure(browser, site, repeats, words)
    from playwright.sync_api import sync_playwright

    arguments = [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
    ]
    if _is_root():
        arguments.append("--no-sandbox")  # Chromium refuses to sandbox as root
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=arguments
        )
        try:
            return _measure(launched, site, repeats, words)
        finally:
            launched.close()


def _measure(browser: Any, site: Path, repeats: int, words: tuple[str, str]) -> list[SearchTiming]:
    timings: list[SearchTiming] = []
    with serve(site) as base:
        for order in [words, words[::-1]] * repeats:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            try:
                page = context.new_page()
                page.add_init_script(_INSTRUMENT)
                page.goto(base, wait_until="load")
                page.locator("input.md-search__input").click()
                for number, word in enumerate(order):
                    if number:
                        page.locator("input.md-search__input").select_text()
                    timings.append(_type_and_wait(page, word, first=number == 0))
            finally:
                context.close()
    return timings


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _type_and_wait(page: Any, word: str, first: bool) -> SearchTiming:
    """Type ``word`` as a reader does; wait for its first results, then for
    Material's own, to be painted."""
    for number, key in enumerate(word):
        if number:
            page.wait_for_timeout(KEY_DELAY_MS)
        page.keyboard.press(key)  # pressed and released at once
    # The word's query is the last one sent to the worker (a query goes out
    # on each key, or, while the index loads, only the last); the worker's
    # results come back in order, one for each query.
    page.wait_for_function(
        """word => {
            const log = window.__qsSearch;
            const last = log.queries.length - 1;
            const worker = log.results.filter(r => !r.early);
            return last >= 0 && log.queries[last].value === word
                && worker.length > last && worker[last].painted !== null;
        }""",
        arg=word,
        timeout=TIMEOUT_MS,
    )
    log: dict[str, Any] = page.evaluate("() => window.__qsSearch")
    last_key = log["keys"][-1]
    worker = [r for r in log["results"] if not r["early"]]
    full = worker[len(log["queries"]) - 1]
    early = [
        r
        for r in log["results"]
        if r["early"] and r["value"] == word and r["arrived"] > last_key and r["painted"]
    ]
    shown = min([*early, full], key=lambda r: r["painted"])
    return SearchTiming(
        query=word,
        first=first,
        seconds=(shown["painted"] - last_key) / 1000,
        early=shown is not full,
        full_seconds=(full["painted"] - last_key) / 1000,
        shown=shown["shown"],
        meta=shown["meta"],
        setup_after_load=(log["setup"] - log["loaded"]) / 1000,
        ready_after_load=(log["ready"] - log["loaded"]) / 1000,
        queued=sum(1 for r in worker if r["arrived"] > last_key) - 1,
    )


def describe(timings: list[SearchTiming]) -> list[str]:
    """The figures: one line for the first searches after a page load, one
    for the second searches (medians of the repeats)."""
    lines = []
    for first in (True, False):
        which = [t for t in timings if t.first is first]
        if not which:
            continue
        parts = []
        for word in dict.fromkeys(t.query for t in which):
            mine = [t for t in which if t.query == word]
            seconds = sorted(t.seconds for t in mine)
            spread = f", from {seconds[0]:.2f} to {seconds[-1]:.2f} s" if len(mine) > 1 else ""
            queued = max(t.queued for t in mine)
            behind = f"; behind {queued} queries of what was typed before" if queued else ""
            early = sum(t.early for t in mine)
            if early:
                full = statistics.median(t.full_seconds for t in mine)
                how = "early results" if early == len(mine) else f"early results {early} times"
                behind += f"; {how}, Material's own after {full:.2f} s"
            parts.append(
                f'"{word}" {statistics.median(seconds):.2f} s ({mine[0].meta}{spread}{behind})'
            )
        slowest = max(
            statistics.median(t.seconds for t in which if t.query == w)
            for w in {t.query for t in which}
        )
        if first:
            setup = statistics.median(t.setup_after_load for t in which)
            ready = statistics.median(t.ready_after_load for t in which)
            lines.append(
                f"  first search after the page loaded (the index fetched and parsed "
                f"{setup:.1f} s after the page's load event, built by the worker "
                f"{ready:.1f} s after it): {'; '.join(parts)}; slowest {slowest:.2f} s"
            )
        else:
            lines.append(
                f"  second search (the index ready): {'; '.join(parts)}; slowest {slowest:.2f} s"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site's folder")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"search latency: not measured: {reason}")
        return 0
    print(heading(args.site.name, args.repeats))
    for line in describe(measure_search(args.site, args.repeats)):
        print(line)
    return 0


def heading(site: str, repeats: int) -> str:
    return (
        f"search in Chromium on {site}, from the last keystroke to the first results of "
        f"the whole word painted (a key every {KEY_DELAY_MS} ms; median of {repeats}):"
    )


if __name__ == "__main__":
    raise SystemExit(main())

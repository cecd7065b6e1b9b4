/* qualsite: Material's search, answering the words typed last, and usable
   by keyboard and with a screen reader.

   1. The newest query. Material sends its search worker one query for each
   key released, and the worker answers every one of them, in order. On a
   big study (50,000 excerpts) a query for a common word takes a fifth of a
   second, so the reader waits for the results of "s", "su", "sup", ...
   before those of the word they finished typing: 1.4 s after the last key
   where one query alone takes 0.2 s.

   This script is loaded before Material's bundle (as one of the theme's
   "polyfills", in the page's head) and wraps the browser's Worker. While
   the worker is busy (building the index, or answering a query), a new
   query waits, and a newer one replaces it; when the worker answers, the
   answer to a query that has been overtaken is not shown, and the newest
   query goes out. Every other message passes as it was.

   2. The results, for everyone (WCAG 4.1.2, 4.1.3, 2.1.1). Material renders
   each result as a link holding a heading and a snippet, which the
   accessibility tree names with nothing; it says how many documents match
   only in text no screen reader is told of; it closes the results on Tab,
   and a key that is not an arrow, Enter or Escape pressed on a result
   sends the reader back to the box. So, as results are rendered:

   - each result link is named by its heading (aria-labelledby) and
     described by its snippet (aria-describedby);
   - a polite live region says the count ("12 matching documents", as
     Material's own line says it) once the newest query's results are in
     and the reader has stopped typing, not once per letter;
   - Tab and Shift+Tab, Down and Up move from the box through the results
     and back round to the box; Home and End go to the first and last
     result; Escape on a result goes back to the box (and, in the box,
     closes the search, as Material does); a letter typed on a result goes
     to the box, to refine the query; a result focused under the sticky
     "N more on this page" of its group is scrolled clear of it;
   - the results' scrolling box is a Tab stop only while the search is open.

   3. Results while the worker cannot answer. Material's worker answers no
   query until it has built its index from the whole search index, which
   takes seconds on a big study; once built, it answers one query at a
   time, and one it has started cannot be stopped: on a big study a
   query of one letter takes seconds (it matches nearly every document,
   and each is marked up), and the word the reader types on to waits for
   it. So while the worker is building its index, or answering a query
   the reader has typed past, what the box holds is answered from the
   same documents by qualsite-search-early.js (which first reads Lunr's
   stop words from Material's own scripts), in slices of at most
   SLICE_MS, a search overtaken by a newer query dropped; the answer goes
   to Material as if from its worker, with the count in its line.
   Material's own results then replace them, the same: the reader stays
   on the result they were on (and the list where it was), and the count
   already said for the query is not said again. Once the index is
   built, a query the scan does not answer leaves the results on the
   screen until the worker answers (as Material's search does while its
   worker is busy), an emptied box is cleared at once, and the worker's
   answer to a query older than what the box holds (changed with no key
   released, as by a paste) does not replace the early results for what
   it holds. The documents the scan has read are kept for the page's life (14 MiB more of the page's heap
   at 50,000 entries, measured in Chromium), and read when the reader
   first comes to the box.

   Without the script (or in a browser it does not suit) Material's search
   works as before. */
(function () {
  "use strict";

  var SETUP = 0; // Material's search messages, by their type
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;

  // How long the reader has not typed before the count is said.
  var SETTLED_MS = 500;

  function isMessage(value, type) {
    return value !== null && typeof value === "object" && value.type === type;
  }

  /* -- what the reader is told: the count, once the results are settled -- */

  var status = null; // the live region, once the page is read
  var meta = null; // Material's line saying the count
  var query = null; // the search box
  var output = null; // the search's results, and their scrolling box
  var scroller = null;
  var pending = null; // the timer that will say the count
  var said = ""; // what the live region last said
  var saidFor = null; // the query it was said for

  function unsay() {
    if (pending !== null) {
      clearTimeout(pending);
      pending = null;
    }
  }

  function say() {
    pending = null;
    if (status === null || meta === null || query === null || !query.value.trim()) {
      return;
    }
    var text = meta.textContent.replace(/\s+/g, " ").trim();
    if (!text) {
      return;
    }
    // Said already for this very query (its early results, then Material's
    // own in their place): not said again.
    if (saidFor === query.value && said.replace(/\u00a0$/, "") === text) {
      return;
    }
    // The same words again (the count of a new query may be the count of
    // the last one) are a change a screen reader hears only if the text
    // differs: a no-break space, added or taken away, makes it differ.
    said = said === text ? text + "\u00a0" : text;
    saidFor = query.value;
    status.textContent = said;
  }

  function resultsArrived() {
    unsay();
    pending = setTimeout(say, SETTLED_MS);
  }

  /* -- while the worker cannot answer: the early results -- */

  // How long one slice of the early search may hold the page.
  var SLICE_MS = 12;

  var searchWorker = null; // the worker Material sent the search index to
  var built = false; // it has built its index: Material's count line is its own
  var answering = null; // the query that worker is answering, or null
  var early = null; // the scan of that index, once Lunr's stop words are read
  var run = null; // the early search under way: {value, steps, shows}
  var answered = null; // the query the last early search finished for
  var earlyTimer = null; // the next slice of it
  var answeringEarly = false; // an early answer is on its way to Material
  var shownEarly = false; // early results are on the screen
  var metaBefore = null; // Material's line before the first early count
  var place = null; // where the reader was in the early results Material replaces

  function indexSent(worker, message, url) {
    var make = window.qualsiteEarlySearch;
    if (typeof make !== "function" || typeof make.readStopWords !== "function") {
      return;
    }
    searchWorker = worker;
    var index = message.data || {};
    var languages = (index.config && index.config.lang) || ["en"];
    make
      .readStopWords(new URL(url, document.baseURI).href, languages)
      .then(function (stopWords) {
        if (searchWorker !== worker) {
          return; // Material has sent its index to another worker since
        }
        early = make(index, stopWords);
        answerSoon(); // the reader may have typed while the index was fetched
      })
      .catch(function (error) {
        warn(error);
      });
    // After Material's own listener (added before the index was sent): the
    // reader is put back where they were in the results, which Material
    // has just drawn again, the same, in place of the early ones.
    worker.addEventListener("message", function (event) {
      if (place !== null && isMessage(event.data, RESULT) && !answeringEarly) {
        var where = place;
        place = null;
        backInResults(where);
      }
    });
  }

  // Material's worker has answered `value`: a scan for it would only show
  // the same results again.
  function stopScan(value) {
    if (run === null || !run.shows || run.value !== value) {
      return; // the documents being read, or another query: on
    }
    run = null;
    if (earlyTimer !== null) {
      clearTimeout(earlyTimer);
      earlyTimer = null;
    }
  }

  // The worker is answering a query other than what the box holds: the
  // reader would wait for it (on a big study, seconds for one letter).
  function workerBehind() {
    return answering !== null && query !== null && answering !== query.value;
  }

  // Early results are on the screen for what the box held before.
  function earlyStale() {
    return shownEarly && query !== null && answered !== query.value;
  }

  function warn(error) {
    if (window.console) {
      window.console.warn("qualsite: early search results failed:", error);
    }
  }

  // A change to the box, or the reader coming to it: the scan starts on
  // what it holds (reading the documents, if nothing is typed yet), in
  // place of any search it was making for what the box held before. Once
  // Material's worker has built its index, the scan answers only while
  // the worker is behind (or its own results on the screen are for what
  // the box held before); otherwise it reads the documents (if it has not
  // yet), to be ready when the worker next falls behind. Called when the
  // box changes, when the reader comes to it, and when Material sends its
  // worker a query, and when the Clear button empties the box (with no
  // input event).
  function answerSoon() {
    if (early === null || query === null) {
      return;
    }
    if (document.activeElement !== query && !query.value) {
      return; // a reader who has not come to the search pays nothing for it
    }
    if (built && !workerBehind() && !earlyStale()) {
      // Material's worker answers what the box holds: a scan for anything
      // else is dropped, and the documents are read (if they are not yet),
      // to be ready when the worker next falls behind.
      if (run !== null && run.shows && run.value !== query.value) {
        run = null;
      }
      if (run === null && !early.prepared()) {
        run = { value: null, steps: early.preparing(), shows: false };
      }
    } else if (run === null && answered === query.value) {
      return; // answered already (the reader has come back to the box)
    } else if (run === null || run.value !== query.value) {
      run = { value: query.value, steps: early.searching(query.value), shows: true };
    }
    if (run !== null && earlyTimer === null) {
      earlyTimer = setTimeout(answerSlice, 0);
    }
  }

  function answerSlice() {
    earlyTimer = null;
    if (early === null || run === null) {
      return;
    }
    var until = Date.now() + SLICE_MS;
    var step;
    try {
      do {
        step = run.steps.next();
      } while (!step.done && Date.now() < until);
    } catch (error) {
      // Material's results will come when its worker answers; those shown
      // until now answered what the box held before. No early results
      // from now on, for as long as the page is open.
      early = null;
      run = null;
      warn(error);
      showEarly(null);
      return;
    }
    if (!step.done) {
      earlyTimer = setTimeout(answerSlice, 0);
      return;
    }
    var finished = run;
    run = null;
    if (!finished.shows) {
      answerSoon(); // the documents read: the worker may have fallen behind since
      return;
    }
    if (finished.value !== query.value) {
      answerSoon(); // the box changed with no event the scan heard: not shown
      return;
    }
    answered = finished.value;
    showEarly(step.value);
  }

  function showEarly(result) {
    if (searchWorker === null) {
      return;
    }
    var emptied = query !== null && !query.value.trim();
    // Nothing to show (the box emptied, or a query the scan does not
    // answer). Until the index is built, what the scan showed is taken
    // away. Once it is built, the worker answers: results on the screen
    // stay until it does, as they do in Material's search while its worker
    // is busy; but an emptied box is cleared at once.
    if (result === null && (built ? !emptied : !shownEarly)) {
      return;
    }
    shownEarly = result !== null;
    answeringEarly = true;
    try {
      searchWorker.dispatchEvent(
        new MessageEvent("message", { data: { type: RESULT, data: result || { items: [] } } })
      );
    } finally {
      answeringEarly = false;
    }
    if (meta === null) {
      return;
    }
    var count = shownEarly ? countText(result.items.length) : null;
    if (built) {
      // Material has written its line, for the query it read at the last
      // key released, which may not be what the box holds now: the line
      // for what it holds.
      var line = count !== null ? count : emptied ? translated("search.result.placeholder") : null;
      if (line !== null) {
        meta.textContent = line;
      }
      if (shownEarly) {
        resultsArrived();
      }
      return;
    }
    // Material writes its count only once its worker is ready.
    if (count !== null) {
      if (metaBefore === null) {
        metaBefore = meta.textContent;
      }
      meta.textContent = count;
      resultsArrived();
    } else if (metaBefore !== null) {
      meta.textContent = metaBefore; // "Initializing search", as before
    }
  }

  // Where the reader is in the results: the result focused (a link, or a
  // group's "N more on this page", known by the group's first link), how
  // far the list is scrolled, which groups are open.
  function placeInResults() {
    if (output === null) {
      return null;
    }
    var active = document.activeElement;
    var groups = output.querySelectorAll(".md-search-result__list > li");
    var open = [];
    for (var i = 0; i < groups.length; i++) {
      var more = groups[i].querySelector("details");
      if (more !== null && more.open) {
        open.push(i);
      }
    }
    var inResults = active && active !== query && output.contains(active);
    var group = inResults && active.matches("summary") ? active.closest("li") : null;
    var first = group && group.querySelector("a[href]");
    return {
      href: inResults && active.href ? active.href : null,
      summaryOf: first ? first.href : null,
      scroll: scroller !== null ? scroller.scrollTop : 0,
      open: open,
    };
  }

  // The reader back at `where`, in results drawn again the same. A result
  // Material has not drawn yet (it draws ten pages, then more as the list
  // is scrolled) cannot be focused: the box is, so the keyboard is not
  // left on nothing.
  function backInResults(where) {
    if (where === null || output === null) {
      return;
    }
    var groups = output.querySelectorAll(".md-search-result__list > li");
    where.open.forEach(function (at) {
      var more = groups[at] && groups[at].querySelector("details");
      if (more) {
        more.open = true;
      }
    });
    if (scroller !== null) {
      scroller.scrollTop = where.scroll;
    }
    if (where.href === null && where.summaryOf === null) {
      return;
    }
    for (var g = 0; g < groups.length; g++) {
      var links = groups[g].querySelectorAll("a[href]");
      for (var i = 0; i < links.length; i++) {
        var target = null;
        if (links[i].href === where.href) {
          target = links[i];
        } else if (i === 0 && links[i].href === where.summaryOf) {
          target = groups[g].querySelector("summary");
        }
        if (target !== null) {
          target.focus({ preventScroll: true });
          return;
        }
      }
    }
    query.focus({ preventScroll: true });
  }

  // The count in Material's words (its translations, in the page's
  // configuration), rounded as it rounds them ("1.2k").
  var translations; // read once, at the first count
  function translated(key) {
    if (translations === undefined) {
      var element = document.getElementById("__config");
      try {
        translations = element ? JSON.parse(element.textContent).translations || null : null;
      } catch (error) {
        translations = null;
      }
    }
    return (translations && translations[key]) || null;
  }

  function countText(count) {
    if (count === 0) {
      return translated("search.result.none");
    }
    if (count === 1) {
      return translated("search.result.one");
    }
    var shown = String(count);
    if (count > 999) {
      var digits = (count - 950) % 1000 > 99 ? 1 : 0;
      shown = ((count + 0.000001) / 1000).toFixed(digits) + "k";
    }
    var other = translated("search.result.other");
    return other ? other.replace("#", shown) : null;
  }

  /* -- the worker: only the newest query goes out -- */

  var Original = window.Worker;
  if (typeof Original === "function") {
    var NewestQueryWorker = function (url, options) {
      var worker = new Original(url, options);
      var send = Original.prototype.postMessage;
      var busy = false; // the worker holds a message it has not answered
      var waiting = null; // the newest query, not yet sent

      function sendNow(message, transfer) {
        busy = true;
        if (worker === searchWorker && isMessage(message, QUERY)) {
          answering = message.data;
        }
        send.call(worker, message, transfer || []);
      }

      // Registered before any listener of Material's, so an overtaken
      // answer can be kept from it.
      worker.addEventListener("message", function (event) {
        var data = event.data;
        if (answeringEarly || (!isMessage(data, READY) && !isMessage(data, RESULT))) {
          return;
        }
        var search = worker === searchWorker;
        var answers = search ? answering : null; // the query this answers
        if (search) {
          built = true; // Material answers from now on
          answering = null;
        }
        busy = false;
        if (waiting !== null) {
          var next = waiting;
          waiting = null;
          sendNow(next);
          if (isMessage(data, RESULT)) {
            event.stopImmediatePropagation(); // the reader has typed on since
          }
          return;
        }
        if (isMessage(data, RESULT)) {
          if (search && shownEarly && answered === query.value && answers !== query.value) {
            // The early results answer what the box holds, this an older
            // query (the box changed with no key released, as by a paste):
            // they stay until Material asks for what the box holds.
            event.stopImmediatePropagation();
            return;
          }
          if (search) {
            stopScan(answers);
            answered = null; // the box's value may be typed again while it is behind
          }
          if (shownEarly) {
            place = placeInResults(); // Material's own replace the early ones
            shownEarly = false;
          }
          resultsArrived(); // the answer to the newest query
        }
      });

      worker.postMessage = function (message, transfer) {
        if (isMessage(message, QUERY)) {
          unsay();
        }
        if (isMessage(message, QUERY) && busy) {
          // The query the worker is answering asked again: its answer,
          // on its way, is the newest.
          var asked = worker === searchWorker && message.data === answering;
          waiting = asked ? null : message;
          if (worker === searchWorker) {
            answerSoon();
          }
          return;
        }
        if (isMessage(message, QUERY) || isMessage(message, SETUP)) {
          sendNow(message, transfer);
          if (isMessage(message, QUERY) && worker === searchWorker) {
            answerSoon();
          }
          if (isMessage(message, SETUP)) {
            try {
              indexSent(worker, message, url);
            } catch (error) {
              warn(error); // Material's search goes on without early results
            }
          }
          return;
        }
        send.call(worker, message, transfer || []);
      };
      return worker;
    };
    NewestQueryWorker.prototype = Original.prototype;
    window.Worker = NewestQueryWorker;
  }

  /* -- the results: named, and reached by keyboard -- */

  var RESULT_LINK = "a.md-search-result__link";
  // What Material's arrows move through: links, and the "N more on this
  // page" of a group of results, and the links in it once it is open.
  var STOPS = ":not(details) > a[href], summary, details[open] a[href]";

  var made = 0; // ids given, for labelling

  function idOf(element) {
    if (!element.id) {
      made += 1;
      element.id = "qs-search-" + made;
    }
    return element.id;
  }

  function name(link) {
    if (link.hasAttribute("aria-labelledby")) {
      return;
    }
    var article = link.querySelector("article") || link;
    var heading = article.querySelector("h1, h2, h3");
    if (heading !== null) {
      link.setAttribute("aria-labelledby", idOf(heading));
    }
    var snippet = [];
    for (var i = 0; i < article.children.length; i++) {
      var child = article.children[i];
      if (child !== heading && child.textContent.trim()) {
        snippet.push(idOf(child));
      }
    }
    if (snippet.length) {
      link.setAttribute("aria-describedby", snippet.join(" "));
    }
  }

  function nameAll(root) {
    var links = root.querySelectorAll(RESULT_LINK);
    for (var i = 0; i < links.length; i++) {
      name(links[i]);
    }
  }

  function setUp() {
    var search = document.querySelector(".md-search");
    var toggle = document.getElementById("__search");
    query = search && search.querySelector("input.md-search__input");
    output = search && search.querySelector(".md-search__output");
    var result = search && search.querySelector(".md-search-result");
    var list = result && result.querySelector(".md-search-result__list");
    meta = result && result.querySelector(".md-search-result__meta");
    if (!toggle || !query || !output || !list || !meta) {
      meta = null;
      output = null;
      return;
    }

    status = document.createElement("div");
    status.className = "qs-search-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");
    meta.parentNode.insertBefore(status, meta.nextSibling);

    nameAll(list);
    new MutationObserver(function () {
      nameAll(list);
    }).observe(list, { childList: true, subtree: true });

    query.addEventListener("input", function () {
      unsay();
      answerSoon();
    });
    query.addEventListener("focus", answerSoon);
    if (query.form) {
      // The Clear button empties the box with no input event (and the
      // reset event comes before the box is emptied).
      query.form.addEventListener("reset", function () {
        setTimeout(answerSoon, 0);
      });
    }
    answerSoon();

    function stops() {
      var found = output.querySelectorAll(STOPS);
      var shown = [];
      for (var i = 0; i < found.length; i++) {
        if (found[i].getClientRects().length) {
          shown.push(found[i]);
        }
      }
      return shown;
    }

    scroller = output.querySelector(".md-search__scrollwrap") || output;

    // Material lets Tab stop on the results' scrolling box, closed or open;
    // closed, it has no height (or, on a phone, is off the screen), and
    // the focus would be nowhere to be seen. It is a stop only while open.
    if (scroller.getAttribute("tabindex") === "0") {
      var stopWhileOpen = function () {
        scroller.setAttribute("tabindex", toggle.checked ? "0" : "-1");
      };
      toggle.addEventListener("change", stopWhileOpen);
      stopWhileOpen();
    }

    function go(element, event) {
      element.focus();
      event.preventDefault();
      event.stopPropagation();
      // The "N more on this page" of an open group sticks to the top of the
      // list as it scrolls: a result focused below it is scrolled clear of it.
      var group = element.parentElement && element.parentElement.closest("details[open]");
      var summary = group && group.querySelector(":scope > summary");
      if (summary && summary !== element) {
        var covered = summary.getBoundingClientRect().bottom - element.getBoundingClientRect().top;
        if (covered > 0) {
          scroller.scrollTop -= Math.ceil(covered);
        }
      }
    }

    // On the document, so before Material's listener on the window; a key
    // handled here is kept from it.
    document.addEventListener("keydown", function (event) {
      if (!toggle.checked || event.defaultPrevented || event.isComposing) {
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      var active = document.activeElement;
      var inBox = active === query;
      var inResults = !inBox && output.contains(active);
      if (!inBox && !inResults) {
        return;
      }
      var key = event.key;
      if (key === "Tab" || key === "ArrowDown" || key === "ArrowUp") {
        var ring = [query].concat(stops());
        if (ring.length === 1) {
          return; // nothing found: Material's way (Tab closes the search)
        }
        var at = ring.indexOf(active); // -1: the results' scrolling box
        var back = key === "ArrowUp" || (key === "Tab" && event.shiftKey);
        var next = at < 0 ? (back ? ring.length - 1 : 1) : at + (back ? -1 : 1);
        go(ring[(next + ring.length) % ring.length], event);
        return;
      }
      if (!inResults) {
        return; // the box: Material's way (Enter opens the best result, Escape closes)
      }
      if (key === "Escape") {
        go(query, event);
        return;
      }
      if (key === "Home" || key === "End") {
        var all = stops();
        if (all.length) {
          go(all[key === "Home" ? 0 : all.length - 1], event);
        }
        return;
      }
      // A letter (or Backspace) refines the query, as Material has it; any
      // other key (Enter, Space, Shift on its way to Shift+Tab, Page Down)
      // does what it does on a result, and does not send the reader back.
      if ((key.length !== 1 || key === " ") && key !== "Backspace") {
        event.stopPropagation();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

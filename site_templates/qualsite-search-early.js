/* qualsite: search results while Material's search worker cannot answer.

   Material's search worker builds its Lunr index from the whole search index
   when the page loads, and answers no query until it has: on a big study
   (50,000 excerpts) that takes three seconds on a desktop, longer on a
   phone, and a reader who starts typing at once waits for it. Once built,
   it answers one query at a time: the word a reader types waits for the
   query of its first letter, which takes seconds on a big study.

   This script answers from the same documents in the meantime, by reading
   them through, and answers as Material's search would:

   - the words are cut where Material's tokenizer cuts them (at spaces and
     hyphens, in the text between tags) and lower-cased, and the words
     Lunr's pipeline leaves out of its index (its stop words, read from
     Material's own scripts) are left out here too;
   - the query is read as Material rewrites it for Lunr: a plain word
     matches the words that start with it, a word marked "+" or "-", or in
     a quoted phrase, only itself, a hyphenated word in parts;
   - each word found is a term of its own, scored as Lunr scores it (BM25
     with Material's b = 0 and the fields' boosts, rounded as Lunr rounds),
     and the documents are lifted, grouped by page and ordered as Material
     does, equal scores in the order Lunr meets them;
   - the words typed that a document has, and lacks, are said as Material
     says them, and the words found are marked up in its title and text as
     Material's worker marks them up.

   A browser test asks Material's worker and this scan every word of the
   example study's index, its first letter and its first three, and a set
   of queries with marks, and compares the documents, order, scores, words
   and marked-up text. Known to differ (Material's own oddities, which the
   indexes MkDocs writes do not hold): tags with a leading space, a section
   listed before its page, two documents at one location.

   Not answered early, left to Material: a query in Lunr's own syntax
   ("title:", "*", "~1", "^2", "\"), a hyphenated word marked "+" or "-"
   or in quotes, Chinese characters, a query of nothing but words to leave
   out; and every query on a site whose index holds its words otherwise
   (its own `separator`, several languages, one whose words Material's
   search segments or stems when typed (Japanese, Chinese, Hindi, Thai,
   Vietnamese, Armenian, Korean), a stemmer or trimmer in its `pipeline`),
   or when Lunr's stop words cannot be read (as from a page opened as a
   file).

   It reads only the site's own files: the search index the page has
   fetched for Material, and Material's search scripts, for the stop words
   (fetched again, usually from the browser's cache).

   The reading and the search are done in slices (`searching` is a
   generator that yields between a few hundred documents), so that the
   page stays responsive on a phone while a big study is read through;
   qualsite-search.js runs the slices, and drops a search overtaken by a
   newer query. Sorting and grouping the documents found is one step (30
   ms for a one-letter query at 50,000 entries). `search` runs one whole,
   for a test.

   qualsite-search.js reads the stop words with
   `window.qualsiteEarlySearch.readStopWords(workerUrl, languages)`, then
   calls `window.qualsiteEarlySearch(index, stopWords)` with what Material
   sends its worker ({config, docs}). A search answers as Material's worker
   does, {items: [[page, section, ...], ...]}, or with null for a query it
   does not answer. */
(function () {
  "use strict";

  // Between the words of a field, a character no text holds: BOUNDARY +
  // "sup" found in a field is a word of it that starts with "sup".
  const BOUNDARY = "\u0001";
  // Lunr's BM25 constant (k1); Material sets b to 0.
  const K1 = 1.2;
  // Documents read between two looks at the clock.
  const SLICE = 400;
  // Material's separator of words, unless a site sets its own.
  const DEFAULT_SEPARATOR = "[\\s\\-]+";
  // Languages whose words Material's search reads otherwise: cut with a
  // segmenter, or (Lunr's scripts for them leave its English stemmer on
  // the words typed) stemmed when a word must be found whole.
  const READ_OTHERWISE = ["ja", "zh", "hi", "th", "vi", "hy", "ko"];

  const REQUIRED = 1;
  const OPTIONAL = 0;
  const PROHIBITED = -1;

  // A tag; a "<" with another "<" before its ">" is not one (Material's
  // worker starts again at each "<").
  const TAG = /<[^<>]*>/g;
  // Lunr's query syntax other than "+", "-" and quotes (a field, "title:";
  // a wildcard; an edit distance; a boost; an escape), and the Chinese
  // characters that Material segments against its index. Not answered
  // early.
  const NOT_READ = /[:*~^\\]|\p{sc=Han}/u;

  // `cut(text, visit)` calls `visit(start, end)` for each word of `text`:
  // what lies between two matches of the separator.
  function cutter(separator) {
    const pattern = new RegExp(separator, "g");
    return function (text, visit) {
      pattern.lastIndex = 0;
      let from = 0;
      for (;;) {
        const found = pattern.exec(text);
        const until = found === null ? text.length : found.index;
        if (from < until) {
          visit(from, until);
        }
        if (found === null) {
          return;
        }
        from = found.index + found[0].length;
        if (found[0].length === 0) {
          pattern.lastIndex = found.index + 1; // a separator that matches nothing
        }
      }
    };
  }

  // A field's words, each after a BOUNDARY, lower-cased: the text between
  // tags, cut where the separator matches (before lower-casing, as Material
  // cuts, for a separator that looks at letter case). A text with a "<" or
  // ">" outside a tag is read as Material's worker reads it (blocksOf),
  // which takes longer.
  function wordsOf(value, separators, cut) {
    const values = Array.isArray(value) ? value : [value];
    let out = "";
    for (const each of values) {
      let text = String(each);
      if (text.indexOf(BOUNDARY) >= 0) {
        text = text.split(BOUNDARY).join("");
      }
      const between = text.replace(TAG, BOUNDARY);
      if (between.indexOf("<") < 0 && between.indexOf(">") < 0) {
        out += BOUNDARY + between.replace(separators, BOUNDARY).toLowerCase();
        continue;
      }
      for (const block of blocksOf(text, cut)) {
        for (const piece of block) {
          if (piece[2] !== null) {
            out += BOUNDARY + piece[2];
          }
        }
      }
    }
    return out;
  }

  // The words of `field` (as wordsOf gives them) that start with `needle`
  // (BOUNDARY + what was typed) or, `whole`, that are it, but those in the
  // Set `left`: a Map of each to how often it is there and where it first
  // is; null if none.
  function wordsStarting(field, needle, whole, left) {
    let found = null;
    for (let at = field.indexOf(needle); at >= 0; at = field.indexOf(needle, at + 1)) {
      let end = field.indexOf(BOUNDARY, at + needle.length);
      if (end < 0) {
        end = field.length;
      }
      if (whole && end !== at + needle.length) {
        continue;
      }
      const word = field.slice(at + 1, end);
      if (left.has(word)) {
        continue; // a word Lunr's pipeline leaves out of the index
      }
      found = found || new Map();
      const seen = found.get(word);
      if (seen === undefined) {
        found.set(word, { count: 1, at: at });
      } else {
        seen.count += 1;
      }
    }
    return found;
  }

  /* -- the query, read as Material reads it -- */

  // A piece of the query as Lunr reads it: "+" or "-", then words joined
  // by single hyphens ("self-care").
  const PIECE = /^([+-]?)([^+-][^-]*(?:-[^+-][^-]*)*)$/;

  // The clauses of a query, as Material and Lunr read it, or null where
  // the scan would read it otherwise.
  //
  // Material first marks each word of a quoted phrase "+" (but for a first
  // word that starts with a letter outside ASCII), and drops the quotes
  // and any mark standing alone. Then "+word" must be found and "-word"
  // must not be, and each matches only itself, where a plain word matches
  // the words that start with it (Material adds a wildcard to its end). A
  // plain "self-care" Material reads as "self-care* self-care*" (once for
  // each of its words), which Lunr reads as "self care*" twice.
  function clausesOf(query) {
    const text = String(query)
      .trim()
      .split(/"([^"]+)"/)
      .map(function (part, index) {
        return index % 2 === 1 ? part.replace(/^\b|^(?![^\x00-\x7F]|$)|\s+/g, " +") : part;
      })
      .join("")
      .replace(/"|(?:^|\s+)[*+\-:^~]+(?=\s+|$)/g, "");
    const clauses = [];
    for (const piece of text.split(/\s+/)) {
      if (!piece) {
        continue;
      }
      const parts = PIECE.exec(piece);
      if (parts === null) {
        return null;
      }
      const presence = parts[1] === "+" ? REQUIRED : parts[1] === "-" ? PROHIBITED : OPTIONAL;
      const words = parts[2].toLowerCase().split("-");
      if (words.length === 1) {
        clauses.push({ term: words[0], presence: presence, whole: presence !== OPTIONAL });
        continue;
      }
      if (presence !== OPTIONAL) {
        return null;
      }
      for (let copy = 0; copy < words.length; copy++) {
        words.forEach(function (word, at) {
          clauses.push({ term: word, presence: presence, whole: at < words.length - 1 });
        });
      }
    }
    return clauses;
  }

  // The order in which Lunr's index gives out the words that start with
  // what was typed: it walks a tree of letters depth first, a word before
  // the longer words that start with it, and a letter's followers in the
  // reverse of the order JavaScript lists an object's keys in (the digits
  // first, then the rest as they were added, which is by code unit).
  function lunrOrder(a, b) {
    for (let i = 0; ; i++) {
      if (i === a.length || i === b.length) {
        return a.length - b.length;
      }
      if (a.charCodeAt(i) !== b.charCodeAt(i)) {
        return listed(b.charCodeAt(i)) - listed(a.charCodeAt(i));
      }
    }
  }

  function listed(code) {
    const digit = code >= 48 && code <= 57;
    return digit ? code - 65536 : code; // the digits before every other unit
  }

  /* -- the results, marked up as Material's worker marks them up -- */

  // The pieces of `html` as Material's worker reads them: its blocks (a
  // top-level element and any text before it: a block ends with the tag
  // that closes the element that opened it; a tag ending "/>" opens
  // nothing) and, in each, its tags and words, each [start, end, word],
  // with word null for a tag.
  function blocksOf(html, cut) {
    const blocks = [];
    let pieces = [];
    let depth = 0;
    let from = 0; // where the text or tag being read began
    const words = function (start, end) {
      const text = html.slice(start, end);
      cut(text, function (a, b) {
        pieces.push([start + a, start + b, text.slice(a, b).toLowerCase()]);
      });
    };
    for (let at = 0; at < html.length; at++) {
      const char = html.charAt(at);
      if (char === "<" && at > from) {
        words(from, at);
        from = at;
      } else if (char === ">") {
        if (html.charAt(from + 1) === "/") {
          depth -= 1;
          if (depth === 0) {
            pieces.push([from, at + 1, null]);
            blocks.push(pieces);
            pieces = [];
          }
        } else if (html.charAt(at - 1) !== "/") {
          if (depth === 0) {
            pieces.push([from, at + 1, null]);
          }
          depth += 1;
        }
        from = at + 1;
      }
    }
    if (html.length > from) {
      words(from, html.length);
    }
    if (pieces.length) {
      blocks.push(pieces);
    }
    return blocks;
  }

  // `html` with each of its words that is in `found` (a Map of lower-cased
  // words) in a <mark>, as Material's worker marks a field up. Unless
  // `whole`, only the blocks with a mark are kept, at most two, as Material
  // shows a long text; with no mark at all, everything is kept. Whole,
  // everything is kept, but marks stop where Material stops adding them.
  function marked(html, found, cut, whole) {
    html = String(html);
    if (!found || !found.size) {
      return html;
    }
    const out = [];
    let cursor = 0;
    for (const block of blocksOf(html, cut)) {
      const hits = block.filter(function (piece) {
        return piece[2] !== null && found.has(piece[2]);
      });
      if (!hits.length) {
        continue;
      }
      const start = block[0][0];
      const end = block[block.length - 1][1];
      if (whole && start > cursor) {
        out.push(html.slice(cursor, start));
      }
      let slice = "";
      let at = start;
      for (const [from, to] of hits) {
        slice += html.slice(at, from) + "<mark>" + html.slice(from, to) + "</mark>";
        at = to;
      }
      cursor = end;
      // Material stops when the pieces kept so far come to two as a marked
      // block is added: two blocks, or, whole, one after some text.
      if (out.push(slice + html.slice(at, end)) === 2) {
        break;
      }
    }
    if (!out.length) {
      return html;
    }
    if (whole && cursor < html.length) {
      out.push(html.slice(cursor));
    }
    return out.join("");
  }

  /* -- the documents, read through -- */

  class EarlySearch {
    // `stopWords`: each language's words Lunr leaves out, as read by
    // readStopWords ("en" always: Material reads it for every site).
    constructor(index, stopWords) {
      const config = (index && index.config) || {};
      const separator = config.separator || DEFAULT_SEPARATOR;
      this.docs = (index && index.docs) || [];
      this.cut = cutter(separator);
      this.separators = new RegExp(separator, "g");
      this.fields = Object.keys(config.fields || { title: {}, text: {} });
      this.boosts = {};
      for (const field of this.fields) {
        this.boosts[field] = (config.fields && config.fields[field] && config.fields[field].boost) || 1;
      }
      // The scan reads the words as Lunr's index holds them only where
      // they are cut at spaces and hyphens (as by default), in one
      // language, not by a segmenter, and left as they are (no stemmer, no
      // trimmer: Material's default for English, and for many languages).
      const languages = config.lang || ["en"];
      const pipeline = config.pipeline || [];
      const words = stopWords || {};
      // Lunr's English stop words, which Material never says are missing
      // from a result; and those the index leaves out, if it does.
      this.english = new Set(words.en || []);
      const left = pipeline.indexOf("stopWordFilter") >= 0 ? words[languages[0]] : [];
      this.left = new Set(left || []);
      this.readable =
        separator === DEFAULT_SEPARATOR &&
        languages.length === 1 &&
        READ_OTHERWISE.indexOf(languages[0]) < 0 &&
        pipeline.every(function (step) {
          return step === "stopWordFilter";
        }) &&
        Array.isArray(words.en) &&
        Array.isArray(left);
      // Each document's fields as words, and the page it is a section of
      // (-1 for a page): read in slices, at the first search.
      this.words = [];
      this.parents = [];
      this.pages = Object.create(null);
    }

    *preparing() {
      if (!this.readable) {
        return;
      }
      while (this.words.length < this.docs.length) {
        const stop = Math.min(this.docs.length, this.words.length + SLICE);
        for (let at = this.words.length; at < stop; at++) {
          const doc = this.docs[at];
          // A page's first document is the page; the rest are its sections.
          const path = String(doc.location).split("#")[0];
          if (this.pages[path] === undefined) {
            this.pages[path] = at;
            this.parents.push(-1);
          } else {
            this.parents.push(this.pages[path]);
          }
          const words = {};
          for (const field of this.fields) {
            words[field] =
              doc[field] === undefined ? "" : wordsOf(doc[field], this.separators, this.cut);
          }
          this.words.push(words);
        }
        yield;
      }
    }

    // Every document read, or none to be (an index whose words are held
    // otherwise is not read).
    prepared() {
      return !this.readable || this.words.length >= this.docs.length;
    }

    // The answer to `query` (null for none), in slices; with no query, the
    // documents are only read.
    *searching(query) {
      if (!this.readable) {
        return null; // nothing will be answered: the documents are not read
      }
      yield* this.preparing();
      if (!query || !String(query).trim()) {
        return null;
      }
      const clauses = this.readable && !NOT_READ.test(query) ? clausesOf(query) : null;
      const positive = (clauses || []).filter(function (clause) {
        return clause.presence !== PROHIBITED;
      });
      if (!positive.length) {
        // Lunr would cut the words otherwise, or read its own syntax, or
        // find every document without the words.
        return null;
      }
      const found = yield* this.finding(clauses);
      const matches = yield* this.scoring(clauses, found);
      return this.grouped(matches);
    }

    search(query) {
      const steps = this.searching(query);
      for (;;) {
        const step = steps.next();
        if (step.done) {
          return step.value;
        }
      }
    }

    // Each clause's words, found as Lunr finds them in its index:
    // `postings[c].get(word)[field]` lists the documents holding the word,
    // `counts[c][doc][field]` is a Map of the words to how often, and
    // `rank` numbers the words in the order the index met them first (the
    // order Lunr adds up a document's scores in).
    *finding(clauses) {
      const count = this.docs.length;
      const postings = clauses.map(function () {
        return new Map();
      });
      const counts = clauses.map(function () {
        return new Array(count);
      });
      const needles = clauses.map(function (clause) {
        return BOUNDARY + clause.term;
      });
      const rank = new Map();
      for (let doc = 0; doc < count; doc++) {
        if (doc % SLICE === SLICE - 1) {
          yield;
        }
        for (const field of this.fields) {
          const words = this.words[doc][field];
          if (!words) {
            continue;
          }
          const firstSeen = [];
          const scanned = new Map(); // a hyphenated word repeats its clauses
          for (let c = 0; c < clauses.length; c++) {
            const key = (clauses[c].whole ? "=" : "~") + clauses[c].term;
            if (!scanned.has(key)) {
              scanned.set(key, wordsStarting(words, needles[c], clauses[c].whole, this.left));
            }
            const here = scanned.get(key);
            if (here === null) {
              continue;
            }
            const times = new Map();
            for (const [word, seen] of here) {
              times.set(word, seen.count);
              if (!postings[c].has(word)) {
                postings[c].set(word, {});
              }
              const posting = postings[c].get(word);
              (posting[field] = posting[field] || []).push(doc);
              if (!rank.has(word)) {
                firstSeen.push([seen.at, word]);
              }
            }
            const mine = (counts[c][doc] = counts[c][doc] || {});
            mine[field] = times;
          }
          firstSeen.sort(function (a, b) {
            return a[0] - b[0];
          });
          for (const [, word] of firstSeen) {
            if (!rank.has(word)) {
              rank.set(word, rank.size);
            }
          }
        }
      }
      return { postings: postings, counts: counts, rank: rank };
    }

    *scoring(clauses, found) {
      const count = this.docs.length;
      const fields = this.fields;
      const postings = found.postings;
      const counts = found.counts;
      const rank = found.rank;
      const byRank = function (a, b) {
        return rank.get(a) - rank.get(b);
      };

      // How many (document, field) pairs hold each word: Lunr's idf.
      const idf = new Map();
      for (const posting of postings) {
        for (const [word, inFields] of posting) {
          if (!idf.has(word)) {
            let holders = 0;
            for (const field in inFields) {
              holders += inFields[field].length;
            }
            const x = (count - holders + 0.5) / (holders + 0.5);
            idf.set(word, Math.log(1 + Math.abs(x)));
          }
        }
      }

      // The query's vector (the same in every field, as no clause names
      // one): 1 for each word each clause found, added up where two
      // clauses find the same word; and its length, summed in the index's
      // order.
      const query = new Map();
      clauses.forEach(function (clause, c) {
        if (clause.presence === PROHIBITED) {
          return;
        }
        for (const word of postings[c].keys()) {
          query.set(word, (query.get(word) || 0) + 1);
        }
      });
      let sum = 0;
      for (const word of Array.from(query.keys()).sort(byRank)) {
        sum += query.get(word) * query.get(word);
      }
      const length = Math.sqrt(sum);

      // The order Lunr meets the documents' fields in: clause by clause,
      // word by word (in the order its index gives them out: see
      // lunrOrder), field by field. Equal scores keep it, and a document's
      // fields are added up in it.
      const met = new Array(count);
      const fieldsMet = new Array(count);
      let meeting = 0;
      clauses.forEach(function (clause, c) {
        if (clause.presence === PROHIBITED) {
          return;
        }
        for (const word of Array.from(postings[c].keys()).sort(lunrOrder)) {
          for (const field of fields) {
            for (const doc of postings[c].get(word)[field] || []) {
              if (met[doc] === undefined) {
                met[doc] = meeting++;
                fieldsMet[doc] = [];
              }
              if (fieldsMet[doc].indexOf(field) < 0) {
                fieldsMet[doc].push(field);
              }
            }
          }
        }
      });

      const matches = [];
      for (let doc = 0; doc < count; doc++) {
        if (doc % SLICE === SLICE - 1) {
          yield;
        }
        if (met[doc] === undefined) {
          continue;
        }
        let wanted = true;
        const marks = {}; // by field, a Map of the words found in it to how often
        clauses.forEach(function (clause, c) {
          const held = counts[c][doc];
          if (clause.presence === PROHIBITED) {
            wanted = wanted && !held;
            return;
          }
          wanted = wanted && (Boolean(held) || clause.presence !== REQUIRED);
          for (const field in held || {}) {
            marks[field] = marks[field] || new Map();
            for (const [word, times] of held[field]) {
              marks[field].set(word, times);
            }
          }
        });
        if (!wanted) {
          continue;
        }
        const terms = this.termsOf(clauses, doc, fieldsMet[doc], counts);
        const score = this.scored(doc, fieldsMet[doc], marks, query, length, idf, byRank);
        // Material's own lift: a page above its sections, and a document
        // with more of the words typed above one with fewer.
        const named = Object.keys(terms);
        const shared = named.filter(function (term) {
          return terms[term];
        }).length;
        const lift = +(this.parents[doc] < 0) + shared / named.length;
        matches.push({
          doc: doc,
          lunr: score,
          score: score * (1 + lift ** 2),
          terms: terms,
          marks: marks,
          met: met[doc],
        });
      }
      // Material sorts Lunr's results (best first, equal ones in the order
      // met) by its lifted score, keeping the order of equals.
      return matches.sort(function (a, b) {
        return b.score - a.score || b.lunr - a.lunr || a.met - b.met;
      });
    }

    // Which of the words typed a document has, as Material says it (its
    // "Missing:" line, and the lift of a document with more of them): a
    // word typed is there if a word found in the document starts with it,
    // the words found taken in the order Lunr lists them; one that is not
    // is missing, unless it is an English stop word.
    termsOf(clauses, doc, fields, counts) {
      const found = [];
      const listed = new Set();
      for (const field of fields) {
        clauses.forEach(function (clause, c) {
          const here = clause.presence !== PROHIBITED && counts[c][doc] && counts[c][doc][field];
          for (const word of Array.from(here ? here.keys() : []).sort(lunrOrder)) {
            if (!listed.has(word)) {
              listed.add(word);
              found.push(word);
            }
          }
        });
      }
      // Lunr keeps them as an object's keys: those that read as array
      // indexes ("2019") come first, in numeric order.
      const index = function (word) {
        return /^(?:0|[1-9]\d*)$/.test(word) && Number(word) < 4294967295;
      };
      const ordered = found
        .filter(index)
        .sort(function (a, b) {
          return Number(a) - Number(b);
        })
        .concat(
          found.filter(function (word) {
            return !index(word);
          })
        );
      const open = new Set(
        clauses.filter(function (clause) {
          return clause.presence !== PROHIBITED;
        })
      );
      const terms = {};
      for (const word of ordered) {
        for (const clause of open) {
          if (word.startsWith(clause.term)) {
            terms[clause.term] = true;
            open.delete(clause);
          }
        }
      }
      for (const clause of open) {
        if (!this.english.has(clause.term)) {
          terms[clause.term] = false;
        }
      }
      return terms;
    }

    // A document's score as Lunr works it out, operation for operation,
    // so that equal scores are equal here too: for each field, the words'
    // BM25 weights (rounded to three places) times the query's, over the
    // query's length.
    scored(doc, fields, marks, query, length, idf, byRank) {
      const boost = this.docs[doc].boost || 1;
      let score = 0;
      for (const field of fields) {
        const found = marks[field];
        if (!found) {
          continue;
        }
        let dot = 0;
        for (const word of Array.from(found.keys()).sort(byRank)) {
          const tf = found.get(word);
          let weight = (idf.get(word) * ((K1 + 1) * tf)) / (K1 * 1 + tf);
          weight *= this.boosts[field];
          weight *= boost;
          dot += query.get(word) * (Math.round(weight * 1000) / 1000);
        }
        score += dot / length || 0;
      }
      return score;
    }

    // Grouped by page, the best first, each page's documents best first; a
    // page none of whose own words matched is added, unscored, to its
    // sections, as Material adds it.
    grouped(matches) {
      const groups = [];
      const groupOf = Object.create(null);
      for (const match of matches) {
        const page = this.parents[match.doc] < 0 ? match.doc : this.parents[match.doc];
        if (groupOf[page] === undefined) {
          groupOf[page] = groups.length;
          groups.push({ page: page, items: [], hasPage: false });
        }
        const group = groups[groupOf[page]];
        group.items.push(this.item(match.doc, match.score, match.terms, match.marks));
        group.hasPage = group.hasPage || match.doc === page;
      }
      return {
        items: groups.map(function (group) {
          if (!group.hasPage) {
            group.items.push(this.item(group.page, 0, {}, {}));
          }
          return group.items;
        }, this),
      };
    }

    item(doc, score, terms, marks) {
      return new Found(this.docs[doc], score, terms, marks, this.cut);
    }
  }

  // A document as Material's worker returns it. Its title, text and tags
  // are marked up when first read: Material reads them only for the
  // results it renders (ten pages, then more as the reader scrolls).
  class Found {
    constructor(source, score, terms, marks, cut) {
      this.location = source.location;
      this.score = score;
      this.terms = terms;
      this.source = source;
      this.marks = marks;
      this.cut = cut;
      this.shown = {};
    }

    get title() {
      return this.marked("title");
    }

    get text() {
      return this.marked("text");
    }

    get tags() {
      return this.marked("tags");
    }

    marked(field) {
      const value = this.source[field];
      if (value === undefined || field in this.shown) {
        return value === undefined ? undefined : this.shown[field];
      }
      const found = this.marks[field];
      const cut = this.cut;
      // Material shows all of a title or tag, and of a text the blocks that
      // hold what was found. Read while Material draws its list, which
      // stops at an error: anything unforeseen shows the field unmarked.
      try {
        this.shown[field] = Array.isArray(value)
          ? value.map(function (tag) {
              return marked(tag, found, cut, true);
            })
          : marked(value, found, cut, field !== "text");
      } catch (error) {
        this.shown[field] = value;
      }
      return this.shown[field];
    }
  }

  // Lunr's stop words, read from Material's own scripts (its search
  // worker, which bundles Lunr, for English; Lunr's script for another
  // language, beside it), so that the scan leaves out what Lunr leaves
  // out: a Promise of {language: [words]}, without a language whose words
  // could not be read (then nothing is answered early).
  function readStopWords(workerUrl, languages) {
    const read = function (url, pattern, words) {
      return fetch(url)
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (text) {
          const found = pattern.exec(text);
          return found ? words(found[1]) : null;
        })
        .catch(function () {
          return null;
        });
    };
    const wanted = ["en"].concat(
      (languages || []).filter(function (language) {
        return language !== "en";
      })
    );
    return Promise.all(
      wanted.map(function (language) {
        return language === "en"
          ? read(workerUrl, /generateStopWordFilter\((\[[^\]]*\])\)/, JSON.parse)
          : read(
              new URL("../lunr/min/lunr." + language + ".min.js", workerUrl),
              /generateStopWordFilter\("([^"]*)"\.split\(" "\)\)/,
              function (list) {
                return list.split(" ");
              }
            );
      })
    ).then(function (lists) {
      const words = {};
      wanted.forEach(function (language, at) {
        if (Array.isArray(lists[at])) {
          words[language] = lists[at];
        }
      });
      return words;
    });
  }

  window.qualsiteEarlySearch = function (index, stopWords) {
    return new EarlySearch(index, stopWords);
  };
  window.qualsiteEarlySearch.readStopWords = readStopWords;
})();

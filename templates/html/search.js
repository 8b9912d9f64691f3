// @ts-check
// The search of the HTML reference: a matcher over the entries of search-index.js (names first,
// then the C, TypeScript and Rust spellings, then doc text), and the search box of the sidebar.
// A classic script with no imports and no fetch, so the reference works from file:// as well as
// from any static host.

(function (root) {
  "use strict";

  /**
   * @typedef {{ name: string, kind: string, context: string, href: string, summary: string, keys: string[], text: string }} Entry
   * @typedef {{ entry: Entry, order: number, rank: number, name: string, keys: string[], text: string }} Prepared
   */

  /** Results of equal score: functions before types before members, pages last. */
  /** @type {Record<string, number>} */
  var KIND_RANK = {
    function: 0,
    module: 1,
    "libc function": 2,
    enum: 3,
    flags: 3,
    struct: 3,
    variant: 3,
    alias: 3,
    constant: 4,
    member: 5,
    field: 5,
    case: 5,
    export: 6,
    convention: 6,
    "libc header": 7,
    "absent libc function": 8,
    page: 9,
  };

  /**
   * @param {Entry[]} entries
   * @returns {Prepared[]}
   */
  function prepare(entries) {
    return entries.map(function (entry, order) {
      return {
        entry: entry,
        order: order,
        rank: KIND_RANK[entry.kind] === undefined ? 10 : KIND_RANK[entry.kind],
        name: entry.name.toLowerCase(),
        keys: entry.keys.map(function (k) {
          return k.toLowerCase();
        }),
        text: (entry.summary + " " + entry.text).toLowerCase(),
      };
    });
  }

  /** Whether `term` starts a word of `text` (identifiers count as words: `errno::again` has `again`). */
  /** @param {string} text @param {string} term */
  function startsWord(text, term) {
    for (var at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
      if (at === 0 || !/[a-z0-9]/.test(text.charAt(at - 1))) return true;
    }
    return false;
  }

  /** @param {string[]} keys @param {(key: string) => boolean} test */
  function some(keys, test) {
    for (var i = 0; i < keys.length; i++) if (test(keys[i])) return true;
    return false;
  }

  /**
   * How well one query term matches an entry; 0: not at all.
   * @param {Prepared} p
   * @param {string} term
   */
  function termScore(p, term) {
    if (p.name === term) return 100;
    if (p.keys.indexOf(term) >= 0) return 90;
    if (p.name.indexOf(term) === 0) return 70;
    if (some(p.keys, function (k) { return k.indexOf(term) === 0; })) return 60;
    if (p.name.indexOf(term) > 0) return 50;
    if (some(p.keys, function (k) { return k.indexOf(term) > 0; })) return 40;
    if (startsWord(p.text, term)) return 10;
    return 0;
  }

  /**
   * The entries matching every term of `query`, best first.
   * @param {Prepared[]} prepared
   * @param {string} query
   * @param {number} limit
   * @returns {{ results: Entry[], total: number }}
   */
  function search(prepared, query, limit) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) return { results: [], total: 0 };
    /** @type {{ p: Prepared, score: number }[]} */
    var hits = [];
    for (var i = 0; i < prepared.length; i++) {
      var score = 0;
      for (var t = 0; t < terms.length; t++) {
        var s = termScore(prepared[i], terms[t]);
        if (s === 0) {
          score = 0;
          break;
        }
        score += s;
      }
      if (score > 0) hits.push({ p: prepared[i], score: score });
    }
    hits.sort(function (a, b) {
      return b.score - a.score || a.p.rank - b.p.rank || a.p.name.length - b.p.name.length || a.p.order - b.p.order;
    });
    return {
      results: hits.slice(0, limit).map(function (h) {
        return h.p.entry;
      }),
      total: hits.length,
    };
  }

  root.abicSearch = { prepare: prepare, search: search };

  if (typeof document === "undefined") return;

  var LIMIT = 40;

  function start() {
    var input = /** @type {HTMLInputElement | null} */ (document.getElementById("search"));
    var list = document.getElementById("search-results");
    if (input === null || list === null) return;
    var box = input;
    var results = list;
    /** @type {Prepared[] | null} */
    var prepared = null;
    /** @type {HTMLAnchorElement[]} */
    var links = [];
    var selected = 0;

    /** @param {number} index */
    function select(index) {
      if (links.length === 0) return;
      selected = (index + links.length) % links.length;
      links.forEach(function (a, i) {
        a.setAttribute("aria-selected", i === selected ? "true" : "false");
      });
      links[selected].scrollIntoView({ block: "nearest" });
    }

    function close() {
      results.hidden = true;
      box.setAttribute("aria-expanded", "false");
    }

    function update() {
      var query = box.value.trim();
      results.textContent = "";
      links = [];
      if (query === "") return close();
      if (prepared === null) prepared = prepare(/** @type {Entry[]} */ (root.abicSearchIndex || []));
      var found = search(prepared, query, LIMIT);
      found.results.forEach(function (entry) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = entry.href;
        a.className = "result";
        var name = document.createElement("span");
        name.className = "result-name";
        name.textContent = entry.name;
        var kind = document.createElement("span");
        kind.className = "result-kind";
        kind.textContent = entry.context ? entry.kind + " · " + entry.context : entry.kind;
        var summary = document.createElement("span");
        summary.className = "result-summary";
        summary.textContent = entry.summary;
        a.append(name, kind, summary);
        a.addEventListener("click", close);
        li.append(a);
        results.append(li);
        links.push(a);
      });
      var note = document.createElement("li");
      note.className = "result-note";
      note.textContent =
        found.total === 0
          ? "Nothing matches " + JSON.stringify(query) + "."
          : found.total > LIMIT
            ? "The best " + LIMIT + " of " + found.total + " matches."
            : found.total === 1
              ? "1 match."
              : found.total + " matches.";
      results.append(note);
      results.hidden = false;
      box.setAttribute("aria-expanded", "true");
      select(0);
    }

    box.addEventListener("input", update);
    box.addEventListener("focus", function () {
      if (box.value.trim() !== "") update();
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        select(selected + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && links.length > 0) {
        event.preventDefault();
        close();
        links[selected].click();
      } else if (event.key === "Escape") {
        box.value = "";
        close();
        box.blur();
      }
    });
    document.addEventListener("keydown", function (event) {
      var target = /** @type {HTMLElement | null} */ (event.target);
      var typing = target !== null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA");
      if (event.key === "/" && !typing) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    });
    document.addEventListener("click", function (event) {
      var target = /** @type {Node | null} */ (event.target);
      if (target !== null && !results.contains(target) && target !== box) close();
    });
    window.addEventListener("hashchange", close);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(/** @type {any} */ (typeof window !== "undefined" ? window : globalThis));

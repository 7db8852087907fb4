// Progressive enhancement; every page reads and works without it.
// 1. The language switch keeps the current #anchor (both languages use the same anchors).
// 2. The search field finds any figure as you type, from an index loaded on first use (a script, so that it loads
//    from file:// too); without script the field leads to the A–Z index.
// 3. A citation marker [n] shows its source note in place; without script (or without the Popover API) it jumps to
//    the note.
(function () {
  "use strict";

  var link = document.getElementById("lang-switch");
  if (link) {
    link.addEventListener("click", function () {
      if (location.hash) link.href = link.href.split("#")[0] + location.hash;
    });
  }

  // --- Search -------------------------------------------------------------------------------------------------
  var input = document.getElementById("search-q");
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  var NOT_WORD = /[^\p{L}\p{N}]+/gu;  // one pattern, compiled once, for the index and the query alike
  var LIMIT = 12;
  var prepared = null;

  function words(text) {
    return " " + text.toLowerCase().replace(NOT_WORD, " ") + " ";
  }

  function prepare() {
    var data = window.factsheetSearch;
    if (!data) return null;
    if (!prepared) {
      prepared = data.items.map(function (item) {
        var text = item.slice(1, 7).join(" ");
        return { item: item, text: text.toLowerCase(), words: words(text), title: words(item[1]) };
      });
    }
    return prepared;
  }

  function matches(entry, tokens) {
    var score = 0;
    for (var i = 0; i < tokens.length; i++) {
      var token = tokens[i];
      if (HAN.test(token)) {
        if (entry.text.indexOf(token) < 0) return -1;  // Chinese: any substring
        var at = entry.item[1].indexOf(token);
        if (at >= 0) score += at === 0 ? 3 : 2;  // a title that begins with the query comes first
      } else {
        var word = " " + token;  // other scripts: words and word prefixes, any case
        if (entry.words.indexOf(word) < 0) return -1;
        var where = entry.title.indexOf(word);
        if (where >= 0) score += where === 0 ? 3 : 2;
      }
    }
    return score;
  }

  function search(query) {
    var entries = prepare();
    if (!entries) return null;
    var tokens = query.toLowerCase().split(/\s+/).map(function (t) {
      return HAN.test(t) ? t : t.replace(NOT_WORD, "");
    }).filter(Boolean);
    if (!tokens.length) return [];
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var score = matches(entries[i], tokens);
      if (score >= 0) found.push({ score: score, order: i, item: entries[i].item });
    }
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found;
  }

  function setUpSearch(field) {
    var form = field.form;
    var box = document.createElement("div");
    box.className = "search-results";
    box.id = "search-results";
    box.hidden = true;
    var status = document.createElement("p");
    status.className = "vh";
    status.setAttribute("role", "status");
    var list = document.createElement("ul");
    box.appendChild(list);
    form.appendChild(status);
    form.appendChild(box);
    field.setAttribute("aria-controls", box.id);

    function load() {
      if (window.factsheetSearch || document.getElementById("search-index")) return;
      var script = document.createElement("script");
      script.id = "search-index";
      script.src = field.getAttribute("data-index");
      script.onload = function () {
        prepare();  // while the reader is still to type: the first keystroke then only searches
        show();
      };
      document.head.appendChild(script);
    }

    function line(className, text) {
      var span = document.createElement("span");
      span.className = className;
      span.textContent = text;
      return span;
    }

    function show() {
      var query = field.value.trim();
      var found = query ? search(query) : [];
      list.textContent = "";
      if (found === null) return;  // the index is still loading
      if (!query) {
        box.hidden = true;
        return;
      }
      found.slice(0, LIMIT).forEach(function (hit) {
        var item = hit.item;
        var a = document.createElement("a");
        a.href = item[7];
        a.appendChild(line("r-type", item[0]));
        a.appendChild(line("r-title", item[1]));
        if (item[3]) a.appendChild(line("r-value num", item[3]));
        var meta = [item[4], item[5], item[6]].filter(Boolean).join(" · ");
        if (meta) a.appendChild(line("r-meta", meta));
        var li = document.createElement("li");
        li.appendChild(a);
        list.appendChild(li);
      });
      var more = document.createElement("a");
      more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
      more.className = "r-more";
      more.textContent = found.length ? field.getAttribute("data-more") : field.getAttribute("data-empty");
      var li = document.createElement("li");
      li.appendChild(more);
      list.appendChild(li);
      status.textContent = found.length + " / " + (window.factsheetSearch.items.length);
      box.hidden = false;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    field.addEventListener("focus", load);
    field.addEventListener("input", function () { load(); show(); });
    form.addEventListener("keydown", function (event) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && all.length) {
        all[Math.min(at + 1, all.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? field : all[at - 1]).focus();
        event.preventDefault();
      } else if (event.key === "Escape") {
        box.hidden = true;
        field.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) {
        box.hidden = true;
      }
    });
    var asked = new URLSearchParams(location.search).get("q");
    if (asked) {
      field.value = asked;
      load();
      show();
    }
  }

  if (input) setUpSearch(input);

  // --- Citations in place ---------------------------------------------------------------------------------------
  var pop = null;
  var opener = null;

  function closePop() {
    if (pop && pop.matches(":popover-open")) pop.hidePopover();
  }

  function openNote(marker, note) {
    if (!pop) {
      pop = document.createElement("div");
      pop.className = "cite-pop";
      pop.setAttribute("popover", "auto");
      pop.setAttribute("role", "dialog");
      pop.addEventListener("toggle", function (event) {
        if (event.newState === "closed" && opener) opener.focus();
      });
      document.body.appendChild(pop);
    }
    pop.textContent = "";
    pop.setAttribute("aria-label", marker.getAttribute("aria-label") || marker.textContent);
    Array.prototype.forEach.call(note.children, function (child) {
      var copy = child.cloneNode(true);
      copy.removeAttribute("id");
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
      Array.prototype.forEach.call(copy.querySelectorAll(".note-back"), function (el) { el.remove(); });
      pop.appendChild(copy);
    });
    var actions = document.createElement("p");
    actions.className = "cite-pop-actions";
    var jump = document.createElement("a");
    jump.href = marker.getAttribute("href");
    jump.textContent = document.body.getAttribute("data-go-to-note");
    jump.addEventListener("click", function () {
      opener = null;  // the reader goes to the note: focus must not pull the page back to the marker
      closePop();
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", document.body.getAttribute("data-close"));
    close.addEventListener("click", closePop);
    actions.appendChild(jump);
    actions.appendChild(close);
    pop.appendChild(actions);
    opener = marker;
    pop.showPopover();
    var box = marker.getBoundingClientRect();
    var width = Math.min(pop.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    var top = box.bottom + 6;
    if (top + pop.offsetHeight > window.innerHeight && box.top > pop.offsetHeight + 6) top = box.top - pop.offsetHeight - 6;
    pop.style.left = left + "px";
    pop.style.top = Math.max(8, top) + "px";
    close.focus();
  }

  if (typeof HTMLElement.prototype.showPopover === "function") {
    document.addEventListener("click", function (event) {
      var marker = event.target.closest && event.target.closest("a.cite");
      if (!marker) return;
      var note = document.getElementById(marker.getAttribute("href").slice(1));
      if (!note) return;
      event.preventDefault();
      openNote(marker, note);
    });
  }
})();

// Site search: the prebuilt index (search-index.js) loaded into MiniSearch, searched as you type.
// Runs offline and from disk: the index is a script, not a file to fetch.
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var script = document.currentScript;
  var indexName = (script && script.getAttribute("data-index")) || "ROADMAP_SEARCH";

  function loadIndex(data) {
    var columns = data.fields;
    var documents = data.documents.map(function (row, id) {
      var doc = { id: id };
      for (var i = 0; i < columns.length; i++) { doc[columns[i]] = row[i]; }
      return doc;
    });
    var search = new MiniSearch({
      fields: ["title", "owner", "tags", "words"],
      storeFields: ["kind", "page", "title", "owner"],
      searchOptions: { boost: { title: 3, owner: 2, tags: 2 }, prefix: true, fuzzy: 0.15, combineWith: "AND" }
    });
    search.addAll(documents);
    return search;
  }

  function resultItem(result, kinds) {
    var item = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = kinds[result.kind];
    var link = document.createElement("a");
    link.href = result.page;  // site paths: the search page is at the site's root
    link.textContent = result.title;
    item.appendChild(kind);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(link);
    if (result.owner) {
      var owner = document.createElement("span");
      owner.className = "meta";
      owner.textContent = " · " + result.owner;
      item.appendChild(owner);
    }
    return item;
  }

  function show(search, kinds, query, list, summary) {
    list.textContent = "";
    var text = query.trim();
    if (!text) { summary.textContent = "Type a word to search."; return; }
    var results = search.search(text);
    summary.textContent = results.length === 0 ? "Nothing matches \u201c" + text + "\u201d."
      : results.length + (results.length === 1 ? " item matches" : " items match") + " \u201c" + text + "\u201d" +
        (results.length > MAX_RESULTS ? "; the first " + MAX_RESULTS + " are shown." : ".");
    results.slice(0, MAX_RESULTS).forEach(function (result) { list.appendChild(resultItem(result, kinds)); });
  }

  function start() {
    var input = document.getElementById("search-q");
    var list = document.getElementById("search-results");
    var summary = document.getElementById("search-summary");
    var data = window[indexName];
    if (!input || !list || !summary) { return; }
    if (!data || typeof MiniSearch === "undefined") {
      summary.textContent = "The search index could not be loaded.";
      return;
    }
    var search = loadIndex(data);
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    var headerInput = document.getElementById("site-search-q");
    if (headerInput) { headerInput.value = query; }
    input.addEventListener("input", function () {
      show(search, data.kinds, input.value, list, summary);
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.search ? url.pathname + url.search : url.pathname);
    });
    show(search, data.kinds, query, list, summary);
    if (!query) { input.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

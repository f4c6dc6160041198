/* Searchable pickers on top of plain <select> elements (tom-select, vendored: see vendor/tom-select/VERSION.md).
 * <select data-picker="search">: filters the options the page already has as you type.
 * <select data-picker="remote" data-url="...">: asks data-url?q=... as you type (at most ~20 matches come
 * back as [{value, text}]) and offers only those. Without JavaScript the <select> works as it is. */
(function () {
  "use strict";
  function remoteOptions(select) {
    return {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 50,
      loadThrottle: 250,
      preload: "focus",
      shouldLoad: function () { return true; },
      load: function (query, callback) {
        var url = select.dataset.url + (select.dataset.url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results); })
          .catch(function () { callback(); });
      },
    };
  }
  function enhance(root) {
    if (typeof TomSelect === "undefined") { return; }
    root.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) { return; }
      var options = select.dataset.picker === "remote" ? remoteOptions(select) : { maxOptions: 1000 };
      options.placeholder = select.dataset.placeholder || "";
      // A remote picker starts empty with its placeholder; a local one keeps its empty choice.
      options.allowEmptyOption = select.dataset.picker !== "remote";
      new TomSelect(select, options);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
})();

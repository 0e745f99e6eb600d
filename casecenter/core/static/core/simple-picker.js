// The searchable pickers of core/simple_picker.py: type, choose with the arrows and Enter (or a
// click); the hidden input receives the id. Changing the text after a choice clears the choice,
// so a form never submits an id that does not match what the box shows.
(function () {
  "use strict";
  function setup(root) {
    if (root.dataset.pickerReady) return;
    root.dataset.pickerReady = "1";
    var text = root.querySelector("[data-picker-text]");
    var value = root.querySelector("[data-picker-value]");
    var list = root.querySelector("[data-picker-options]");
    var status = root.querySelector("[data-picker-status]");
    var source = root.dataset.source;
    var results = [], active = -1, timer = null, asked = 0, chosenLabel = value.value ? text.value : null;

    function close() {
      list.hidden = true;
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.classList.toggle("active", i === index); item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) {
        text.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({block: "nearest"});
      }
    }
    function choose(index) {
      var hit = results[index];
      if (!hit) return;
      value.value = hit.id;
      text.value = hit.label;
      chosenLabel = hit.label;
      clearTimeout(timer);
      asked++;                                 // an answer still on its way no longer opens the list
      close();
      value.dispatchEvent(new Event("change", {bubbles: true}));
    }
    function render(query) {
      list.innerHTML = "";
      results.forEach(function (hit, i) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-action";
        item.id = text.id + "-option-" + i;
        item.setAttribute("role", "option");
        var label = document.createElement("div");
        label.textContent = hit.label;
        item.appendChild(label);
        if (hit.detail) {
          var detail = document.createElement("div");
          detail.className = "small text-secondary";
          detail.textContent = hit.detail;
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-secondary small";
        none.textContent = root.dataset.emptyText || text.getAttribute("data-empty") || "—";
        list.appendChild(none);
      }
      list.hidden = false;
      text.setAttribute("aria-expanded", "true");
      status.textContent = String(results.length);
      mark(results.length ? 0 : -1);
    }
    function ask() {
      var query = text.value.trim();
      var number = ++asked;
      var url = source + (source.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query);
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (body) {
          if (number !== asked || document.activeElement !== text) return;   // late, or the user moved on
          results = body.results || [];
          root.dataset.emptyText = body.empty || "";
          render(query);
        })
        .catch(function () { results = []; });
    }
    text.addEventListener("input", function () {
      if (chosenLabel !== null && text.value !== chosenLabel) { value.value = ""; chosenLabel = null; }
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    text.addEventListener("focus", function () { if (!value.value) ask(); });
    text.addEventListener("blur", function () { setTimeout(close, 100); });
    text.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { ask(); return; }
        mark(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
  }
  function setupAll(scope) { (scope || document).querySelectorAll("[data-simple-picker]").forEach(setup); }
  document.addEventListener("DOMContentLoaded", function () { setupAll(); });
  document.addEventListener("htmx:load", function (event) { setupAll(event.target); });
})();

// The forms' behaviour (core/forms.py and core/pickers.py draw the markup; every form works
// without this script, which only makes choosing easier):
// - select[data-picker]: a searchable picker (tom-select). "local": every option is in the page,
//   found by its text or its pinyin ("search" in the option's data-data); "remote": the options
//   come from data-picker-url?q=… as one types (the server searches, nothing is filtered here).
// - select[data-follows=NAME]: offers only the options whose data "when" holds NAME's value.
// - input[data-datetime]: a calendar (air-datepicker) writing YYYY-MM-DD HH:MM (or YYYY-MM-DD),
//   24-hour, whatever the browser's language and time zone (the text is the wall-clock time).
// - [data-show-when]: a field shown only while other fields hold given values; hidden, its inputs
//   are disabled, so that they are neither posted nor checked.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // --- pickers ------------------------------------------------------------------------------------

  function pickerSettings(select) {
    var remote = select.dataset.picker === "remote";
    var settings = {
      maxOptions: 200,
      allowEmptyOption: false,
      dataAttr: "data",
      searchField: remote ? [] : ["text", "search", "detail"],
      placeholder: select.dataset.placeholder || "",
      hidePlaceholder: true,
      plugins: select.multiple ? ["remove_button"] : (select.required ? [] : ["clear_button"]),
      render: {
        option: function (data, escape) {
          var detail = data.detail ? '<div class="picker-detail">' + escape(data.detail) + "</div>" : "";
          return '<div class="picker-option"><div>' + escape(data.text) + "</div>" + detail + "</div>";
        },
        item: function (data, escape) {
          return "<div>" + escape(data.text) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>";
        },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm m-2 text-secondary" role="status"></div>';
        },
      },
      onItemAdd: function () {
        if (!select.multiple) { this.blur(); }
      },
    };
    if (remote) {
      settings.loadThrottle = 250;
      settings.shouldLoad = function (query) { return query.trim().length > 0; };
      // The server ranks and filters (pinyin, ID fragments): every option it sent is shown as sent.
      settings.score = function () { return function () { return 1; }; };
      settings.load = function (query, callback) {
        var self = this;
        var url = new URL(select.dataset.pickerUrl, window.location.href);
        url.searchParams.set("q", query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) {
            self.clearOptions();
            callback(body.results.map(function (r) { return { value: r.value, text: r.label, detail: r.detail }; }));
          })
          .catch(function () { callback(); });
      };
    }
    return settings;
  }

  function followOptions(select, picker) {
    var controlName = select.dataset.follows;
    var control = select.form && select.form.elements[controlName];
    if (!control) { return; }
    var all = Object.keys(picker.options).map(function (key) { return picker.options[key]; });
    function narrow() {
      var value = control.value;
      var current = picker.getValue();
      var keep = all.filter(function (o) { return !o.when || o.when.indexOf(value) >= 0; });
      if (current && !keep.some(function (o) { return o.value === current; })) { picker.clear(true); }
      picker.clearOptions();
      picker.addOptions(keep);
      picker.refreshOptions(false);
    }
    control.addEventListener("change", narrow);
    narrow();
  }

  function initPicker(select) {
    if (select.tomselect || typeof window.TomSelect === "undefined") { return; }
    var picker = new window.TomSelect(select, pickerSettings(select));
    if (select.dataset.follows) { followOptions(select, picker); }
  }

  // --- the date-time input ------------------------------------------------------------------------

  var DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::\d{2})?)?$/;

  function parse(text) {
    var m = DATETIME.exec((text || "").trim());
    if (!m) { return null; }
    var date = new Date(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0));
    return isNaN(date.getTime()) ? null : date;
  }

  function initDatetime(input) {
    if (input.datepicker || typeof window.AirDatepicker === "undefined") { return; }
    var withTime = input.dataset.datetime === "datetime";
    var locales = window.AirDatepickerLocales || {};
    var lang = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
    var locale = Object.assign({}, locales[lang] || locales.zh, { dateFormat: "yyyy-MM-dd", timeFormat: "HH:mm", firstDay: 1 });
    var buttons = ["clear"];
    if (withTime) {
      buttons.push({ content: input.dataset.done || "OK", onClick: function (dp) { dp.hide(); } });
    }
    var initial = parse(input.value);
    var picker = new window.AirDatepicker(input, {
      locale: locale,
      timepicker: withTime,
      autoClose: !withTime,
      dateFormat: "yyyy-MM-dd",
      timeFormat: "HH:mm",
      buttons: buttons,
      selectedDates: initial ? [initial] : [],
      position: "bottom left",
      onSelect: function () { input.dispatchEvent(new Event("change", { bubbles: true })); },
      onShow: function (finished) {
        if (finished) { return; }
        // What was typed by hand is where the calendar opens.
        var typed = parse(input.value);
        if (typed) { picker.selectDate(typed, { silent: true }); picker.setViewDate(typed); }
      },
    });
    if (initial) { input.value = input.value.trim().slice(0, withTime ? 16 : 10); }
    input.datepicker = picker;
  }

  // --- fields shown only for some choices -----------------------------------------------------------

  function conditionsHold(wrapper) {
    var form = wrapper.closest("form");
    var conditions = JSON.parse(wrapper.dataset.showWhen);
    return Object.keys(conditions).every(function (name) {
      var control = form && form.elements[name];
      if (!control) { return true; }
      var holder = control.closest ? control.closest("[data-field]") : null;
      if (holder && holder.hidden) { return false; }
      var value = control.type === "checkbox" ? (control.checked ? "on" : "") : control.value;
      return conditions[name].indexOf(value) >= 0;
    });
  }

  function applyShowWhen(form) {
    // Twice: a field may depend on one that this pass hides (bail form → deposit amount).
    for (var pass = 0; pass < 2; pass++) {
      form.querySelectorAll("[data-show-when]").forEach(function (wrapper) {
        var shown = conditionsHold(wrapper);
        wrapper.hidden = !shown;
        wrapper.querySelectorAll("input, select, textarea").forEach(function (el) {
          if (el.tomselect) { shown ? el.tomselect.enable() : el.tomselect.disable(); }
          el.disabled = !shown;
        });
      });
    }
  }

  function init(root) {
    root.querySelectorAll("select[data-picker]").forEach(initPicker);
    root.querySelectorAll("input[data-datetime]").forEach(initDatetime);
    var forms = new Set();
    root.querySelectorAll("[data-show-when]").forEach(function (el) { if (el.closest("form")) { forms.add(el.closest("form")); } });
    forms.forEach(function (form) {
      applyShowWhen(form);
      form.addEventListener("change", function () { applyShowWhen(form); });
    });
  }

  init(document);
  // Forms that arrive later (HTMX fragments) are set up as they come.
  document.body.addEventListener("htmx:load", function (event) { init(event.target); });
})();

// The forms' behaviour (core/forms.py and core/pickers.py draw the markup; every form works
// without this script, which only makes choosing easier):
// - select[data-picker]: a searchable picker (tom-select). "local": every option is in the page,
//   found by its text or its pinyin ("search" in the option's data-data); "remote": the options
//   come from data-picker-url?q=… as one types (the server searches, nothing is filtered here).
// - select[data-follows=NAME]: offers only the options whose data "when" holds NAME's value.
// - input[data-datetime]: a calendar (air-datepicker) behind the button beside it, writing
//   YYYY-MM-DD HH:MM (or YYYY-MM-DD), 24-hour, whatever the browser's language and time zone
//   (the text is the wall-clock time; the server reads it as Beijing time).
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
      closeAfterSelect: true,  // an open list would cover the fields below; typing opens it again
      // The list follows each keystroke at once: a refresh left pending after Enter would reopen
      // the list, and take the focus back, after one has moved on to the next field.
      refreshThrottle: 0,
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
          // The chosen entry with what tells it apart (a namesake's ID number, an officer's unit).
          var detail = data.detail ? ' <span class="picker-detail">' + escape(data.detail) + "</span>" : "";
          return "<div>" + escape(data.text) + detail + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>";
        },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm m-2 text-secondary" role="status"></div>';
        },
      },
    };
    if (remote) {
      settings.loadThrottle = 250;
      settings.shouldLoad = function (query) { return query.trim().length > 0; };
      // The server ranks and filters (pinyin, ID fragments): the options it sent for what is typed
      // now are shown as sent, and none left from an earlier query.
      settings.score = function (search) {
        var typed = (search || "").trim();
        return function (item) { return item.query === typed ? 1 : 0; };
      };
      settings.load = function (query, callback) {
        var self = this;
        var url = new URL(select.dataset.pickerUrl, window.location.href);
        url.searchParams.set("q", query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (body) {
            // An answer that comes after the typing moved on (or after a choice) is dropped: it
            // would reopen the list over the fields below.
            if (self.inputValue() !== query) {
              callback();
              if (!self.inputValue()) { self.close(); }
              return;
            }
            self.clearOptions();
            callback(body.results.map(function (r) {
              return { value: r.value, text: r.label, detail: r.detail, query: query };
            }));
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
  // The text input is the value: typing is never touched. The button beside it opens a calendar
  // (made anew from the typed text each time) that writes what is picked into the input.

  var DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::\d{2})?)?$/;

  function parse(text) {
    var m = DATETIME.exec((text || "").trim());
    if (!m) { return null; }
    var date = new Date(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0));
    return isNaN(date.getTime()) ? null : date;
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  function format(date, withTime) {
    // The wall-clock fields as picked: no time zone is involved (the server reads Beijing time).
    var day = date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
    return withTime ? day + " " + pad(date.getHours()) + ":" + pad(date.getMinutes()) : day;
  }

  function calendarLocale() {
    var locales = window.AirDatepickerLocales || {};
    var lang = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
    return Object.assign({}, locales[lang] || locales.zh, { dateFormat: "yyyy-MM-dd", timeFormat: "HH:mm", firstDay: 1 });
  }

  var open = null;  // the calendar shown, at most one

  function closeCalendar() {
    if (!open) { return; }
    open.picker.destroy();
    open.popup.remove();
    open.button.setAttribute("aria-expanded", "false");
    open = null;
  }

  function openCalendar(input, button) {
    closeCalendar();
    var withTime = input.dataset.datetime === "datetime";
    var popup = document.createElement("div");
    popup.className = "datetime-popup shadow";
    button.parentNode.appendChild(popup);
    var typed = parse(input.value);
    var buttons = [{ content: input.dataset.done || "OK", className: "datetime-done", onClick: closeCalendar }];
    var picker = new window.AirDatepicker(popup, {
      inline: true,
      locale: calendarLocale(),
      timepicker: withTime,
      selectedDates: typed ? [typed] : [],
      startDate: typed || new Date(),
      buttons: buttons,
      onSelect: function (event) {
        input.value = event.date ? format(event.date, withTime) : "";
        input.dispatchEvent(new Event("change", { bubbles: true }));
        if (!withTime && event.date) { closeCalendar(); input.focus(); }
      },
    });
    open = { picker: picker, popup: popup, button: button, input: input };
    button.setAttribute("aria-expanded", "true");
  }

  function initDatetime(input) {
    var button = input.parentNode.querySelector("[data-datetime-button]");
    if (!button || button.dataset.ready || typeof window.AirDatepicker === "undefined") { return; }
    button.dataset.ready = "1";
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      if (open && open.input === input) { closeCalendar(); } else { openCalendar(input, button); }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) { var button = open.button; closeCalendar(); button.focus(); }
  });
  document.addEventListener("mousedown", function (event) {
    if (open && !open.popup.contains(event.target) && !open.button.contains(event.target)) { closeCalendar(); }
  });

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

// The shell's keyboard shortcut: "/" focuses the global search box (unless typing in a field).
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var box = document.getElementById("shell-search-q");
  if (!box) return;
  event.preventDefault();
  if (box.offsetParent === null) {           // the box is folded away: go to the search page
    var icon = document.querySelector(".shell-search-icon");
    if (icon) window.location.href = icon.href;
    return;
  }
  box.focus();
  box.select();
});

// Live countdowns (core/partials/countdown.html) on every page, also those that arrive later in an
// HTMX panel: each [data-countdown] shows the time left to its ISO due time as H:MM:SS, with the days
// in the page's language (data-day, data-days: "1天", "{n}天"), and once the time has passed how long
// it is overdue (data-overdue: "已超期 {time}").
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function span(el, seconds) {
    var days = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600);
    var m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var prefix = days === 1 ? el.dataset.day : days > 1 ? (el.dataset.days || "{n}").replace("{n}", days) : "";
    return (prefix ? prefix + " " : "") + h + ":" + pad(m) + ":" + pad(s);
  }
  function render(el) {
    var left = Math.floor((Date.parse(el.dataset.countdown) - Date.now()) / 1000);
    if (isNaN(left)) { return; }
    if (left <= 0) {
      el.textContent = (el.dataset.overdue || "{time}").replace("{time}", span(el, -left));
      el.classList.add("text-danger");
      return;
    }
    el.textContent = span(el, left);
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(render); }
  tick();
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();

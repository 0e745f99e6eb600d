// Live countdowns: every [data-countdown] shows the time left to its ISO due time as H:MM:SS, with
// the days before it in the reader's language ("2天 3:04:05", "2 days 3:04:05": the words come from
// the element's data-day-one / data-days, "{n}" standing for the number), or its data-overdue text
// once the time has passed.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function dayWords(el, days) {
    if (!days) { return ""; }
    var pattern = days === 1 ? (el.dataset.dayOne || "1 day") : (el.dataset.days || "{n} days");
    return pattern.replace("{n}", days) + " ";
  }
  function render(el) {
    var left = Math.floor((Date.parse(el.dataset.countdown) - Date.now()) / 1000);
    if (isNaN(left)) { return; }
    if (left <= 0) { el.textContent = el.dataset.overdue; el.classList.add("text-danger"); return; }
    var days = Math.floor(left / 86400), h = Math.floor((left % 86400) / 3600);
    var m = Math.floor((left % 3600) / 60), s = left % 60;
    el.textContent = dayWords(el, days) + h + ":" + pad(m) + ":" + pad(s);
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(render); }
  tick();
  setInterval(tick, 1000);
})();

// Live countdowns of the case page: every [data-countdown] shows the time left to its ISO due time
// as H:MM:SS (days when longer), or its data-overdue text once the time has passed.
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(el) {
    var left = Math.floor((Date.parse(el.dataset.countdown) - Date.now()) / 1000);
    if (isNaN(left)) { return; }
    if (left <= 0) { el.textContent = el.dataset.overdue; el.classList.add("text-danger"); return; }
    var days = Math.floor(left / 86400), h = Math.floor((left % 86400) / 3600);
    var m = Math.floor((left % 3600) / 60), s = left % 60;
    el.textContent = (days ? days + "d " : "") + h + ":" + pad(m) + ":" + pad(s);
  }
  function tick() { document.querySelectorAll("[data-countdown]").forEach(render); }
  tick();
  setInterval(tick, 1000);
})();

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

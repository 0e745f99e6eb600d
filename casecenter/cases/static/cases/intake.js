// The intake form's cause list follows the chosen kind: only the causes of that kind (their
// <optgroup>) stay in the list. Without script every cause is listed, grouped by kind, and the
// server refuses a cause of the other kind anyway.
(function () {
  var kind = document.getElementById("id_kind");
  var cause = document.getElementById("id_cause");
  if (!kind || !cause) { return; }
  var groups = Array.prototype.slice.call(cause.querySelectorAll("optgroup"));
  function groupKind(group) {
    var option = group.querySelector("option[data-kind]");
    return option ? option.dataset.kind : "";
  }
  function narrow() {
    var selected = cause.selectedOptions[0];
    groups.forEach(function (group) {
      var keep = groupKind(group) === kind.value;
      if (keep && !group.parentNode) { cause.appendChild(group); }
      if (!keep && group.parentNode) { group.remove(); }
    });
    if (selected && selected.dataset.kind && selected.dataset.kind !== kind.value) { cause.value = ""; }
  }
  kind.addEventListener("change", narrow);
  narrow();
})();

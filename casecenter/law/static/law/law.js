// Copy the citation text to the clipboard (the field stays selectable where the clipboard is refused).
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", () => {
    const field = document.querySelector(button.dataset.copy);
    field.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(field.value).catch(() => {}); }
    else { document.execCommand("copy"); }
  });
});

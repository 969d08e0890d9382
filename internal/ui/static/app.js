// Unmask UI behaviours that need script; everything works without it except these
// conveniences. Loaded as an external file so the Content-Security-Policy allows no
// inline script.
"use strict";
document.addEventListener("click", (e) => {
  const t = e.target.closest("[data-print]");
  if (t) {
    e.preventDefault();
    window.print();
  }
});
document.addEventListener("htmx:afterRequest", (e) => {
  const form = e.detail.elt;
  if (e.detail.successful && form instanceof HTMLFormElement && form.hasAttribute("data-reset")) {
    form.reset();
  }
});

// A refused htmx request names its reason in the unmask:error event (HX-Trigger); show it.
function showError(msg) {
  const t = document.getElementById("toast");
  if (!t) {
    return;
  }
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { t.hidden = true; }, 8000);
}
document.addEventListener("unmask:error", (e) => showError(e.detail.value || "The request was refused."));
document.addEventListener("htmx:sendError", () => showError("The server could not be reached."));

/* verksam's only script of its own; every page works without it.
   1. The header's menu button: on a narrow screen the menu folds behind a disclosure button
      (aria-expanded); Escape closes it. Without JavaScript the menu is simply shown.
   2. On a phone a list's filters fold under their summary while none is set, so the results
      show first (without JavaScript they stay open).
   3. A table wider than its place scrolls sideways: the scrolling box gets a visible hint
      above it, a name and keyboard focus (so it can be scrolled with the arrow keys).
   4. htmx swaps a refused form's answer (400, 409, 422: the form again with its errors, or
      the other person's version) like a success; htmx leaves 4xx answers out by default. */
document.documentElement.classList.add("js");

function verksamTables() {
  const hint = document.body.dataset.scrollHint;
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("table-wrap--overflows", overflows);
    const note = wrap.previousElementSibling;
    const hasNote = note && note.classList.contains("scroll-hint");
    if (overflows && !hasNote) {
      const p = document.createElement("p");
      p.className = "scroll-hint";
      p.textContent = hint;
      wrap.before(p);
      if (!wrap.hasAttribute("tabindex")) {  // a template may have made it a region already
        const caption = wrap.querySelector("caption");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : hint);
        wrap.tabIndex = 0;
        wrap.dataset.madeRegion = "";
      }
    } else if (!overflows && hasNote) {
      note.remove();
      if ("madeRegion" in wrap.dataset) {
        for (const name of ["role", "aria-label", "tabindex", "data-made-region"]) {
          wrap.removeAttribute(name);
        }
      }
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-button");
  if (button) {
    button.addEventListener("click", () => {
      button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  const filters = document.querySelector(".filters__panel");
  if (filters && window.matchMedia("(max-width: 40rem)").matches) {
    const set = [...new URLSearchParams(window.location.search).keys()];
    if (set.every((name) => name === "sort" || name === "page")) filters.open = false;
  }
  verksamTables();
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(verksamTables);
  });
  document.body.addEventListener("htmx:afterSettle", verksamTables);
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if ([400, 409, 422].includes(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
});

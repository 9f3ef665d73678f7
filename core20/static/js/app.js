// Core20 Connect's one page script, loaded on every page as an ES module (so browsers that
// cannot run the NHS design system's modules never run it, and get the plain HTML pages).
//
// No inline script anywhere: the Content Security Policy forbids it.

import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

// The NHS template sets these classes with an inline <script>; this module does it
// instead. The design system's components only start when the body says it is supported.
document.body.classList.add("js-enabled", "nhsuk-frontend-supported");

initAll();

// Move focus to the error summary, so that screen reader users hear the problems first.
// (The design system's ErrorSummary does this too; this covers a summary that opts out
// of its auto-focus by mistake, and keeps the behaviour explicit here.)
const errorSummary = document.querySelector(".nhsuk-error-summary");
if (errorSummary && !errorSummary.contains(document.activeElement)) {
  errorSummary.focus();
}

// Start the design system's components in content that htmx swaps in. Components
// already running are skipped (the design system reports them as InitError).
document.addEventListener("htmx:load", (event) => {
  const element = event.detail && event.detail.elt;
  if (!element || element === document.body) {
    return;
  }
  initAll({
    scope: element.parentElement || element,
    onError(error) {
      if (error.name !== "InitError") {
        console.error(error);
      }
    },
  });
  const swappedSummary = element.matches(".nhsuk-error-summary")
    ? element
    : element.querySelector(".nhsuk-error-summary");
  if (swappedSummary) {
    swappedSummary.focus();
  }
});

// List pages' filters (includes/filters.html) are open in the HTML, so that they work
// without this script and stay in view on wide screens. On a phone (narrower than the
// design system's 641 px tablet breakpoint) they start folded, so that the first results
// are in view without scrolling past the form; their summary says how many filters are
// applied. Filters with an error to fix stay open, and so does a search page's form
// until a search is made (data-app-filters="open").
const phone = window.matchMedia("(max-width: 40.0525em)");
function foldFilters() {
  for (const details of document.querySelectorAll("details[data-app-filters]")) {
    details.open = !phone.matches || details.dataset.appFilters !== "fold";
  }
}
foldFilters();
phone.addEventListener("change", foldFilters);

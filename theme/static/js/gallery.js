// Optional: galleries work without this (each photo is #photo-N, shown by CSS :target).
// Adds arrow keys to go from photo to photo, Escape back to the grid, and moves focus with
// the view so keyboard and screen reader users stay where they are looking.
(function () {
  "use strict";
  function current() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    return el && el.classList.contains("photo-view") ? el : null;
  }
  function follow(view, selector) {
    var link = view.querySelector(selector);
    if (link) link.click();
  }
  function focusTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && (el.classList.contains("photo-view") || el.classList.contains("thumb-link"))) {
      el.focus({ preventScroll: el.classList.contains("photo-view") });
    }
  }
  document.addEventListener("keydown", function (event) {
    var view = current();
    if (!view || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key === "ArrowRight") follow(view, ".photo-next");
    else if (event.key === "ArrowLeft") follow(view, ".photo-prev");
    else if (event.key === "Escape") follow(view, ".photo-back");
    else return;
    event.preventDefault();
  });
  window.addEventListener("hashchange", focusTarget);
  if (current()) focusTarget();
})();

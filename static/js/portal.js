// Behaviour every page shares, kept out of the templates for the Content-Security-Policy.
(function () {
  "use strict";

  // A progress bar carries its width as data-percent: the policy blocks style="" attributes,
  // not widths set from this file. Applied on load and to each fragment htmx swaps in.
  function applyWidths(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-percent]"));
    if (root.matches && root.matches("[data-percent]")) {
      bars.push(root);
    }
    bars.forEach(function (bar) {
      bar.style.width = bar.dataset.percent + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  document.addEventListener("htmx:load", function (event) { applyWidths(event.detail.elt); });
})();

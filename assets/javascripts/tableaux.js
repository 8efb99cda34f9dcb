/*
 * Wide tables reachable from the keyboard.
 *
 * Material wraps each table in a box that scrolls sideways when the table is wider than the screen,
 * as on a phone. A box that scrolls but holds no link or button cannot be scrolled from the keyboard:
 * such a box is made focusable here, as a region named after the heading above it, so that the arrow
 * keys scroll it (RGAA 7.3, WCAG 2.1.1). A box that no longer scrolls (a wider window) loses it again.
 */
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function heading(box) {
    for (var node = box; node; node = node.previousElementSibling || node.parentElement) {
      if (/^H[1-6]$/.test(node.tagName)) {
        return (node.textContent || "").replace("¶", "").trim();
      }
    }
    return "";
  }

  function update() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap");
    Array.prototype.forEach.call(boxes, function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && !box.querySelector(FOCUSABLE);
      if (scrolls && !box.hasAttribute("data-ref-defile")) {
        var title = heading(box);
        box.setAttribute("data-ref-defile", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", title ? "Tableau : " + title : "Tableau");
      } else if (!scrolls && box.hasAttribute("data-ref-defile")) {
        ["data-ref-defile", "tabindex", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  // Material wraps the tables once it has mounted the page: on the first view after « load », on a page
  // shown by instant navigation just after this script runs again.
  if (document.readyState === "complete") {
    window.setTimeout(update, 0);
  } else {
    window.addEventListener("load", update);
  }
  if (!window.refTableauxRedimension) {
    window.refTableauxRedimension = true;
    var pending = 0;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(update, 200);
    });
  }
})();

/*
 * Filters of the lists of entries (enseignements, fiches, territoires).
 *
 * Progressive enhancement: without JavaScript the lists are complete and grouped by their main
 * vocabulary, and the form stays hidden. Here the form is shown, and each change hides the items
 * whose data-* attributes do not match, then the groups left empty.
 */
(function () {
  "use strict";

  function setUp(form) {
    if (form.dataset.pret) {
      return;
    }
    form.dataset.pret = "oui";
    var page = form.closest("article") || document;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filtre]"));
    var items = Array.prototype.slice.call(page.querySelectorAll(".ref-groupe li"));
    var groups = Array.prototype.slice.call(page.querySelectorAll(".ref-groupe"));
    var count = form.querySelector("[data-ref-compte]");

    function matches(item) {
      return selects.every(function (select) {
        return !select.value || item.getAttribute("data-" + select.dataset.filtre) === select.value;
      });
    }

    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        item.hidden = !matches(item);
        shown += item.hidden ? 0 : 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("li:not([hidden])");
      });
      count.textContent = shown === 0
        ? "Aucun résultat : élargissez les filtres."
        : shown + (shown === 1 ? " résultat" : " résultats") + " sur " + items.length + ".";
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () {
      window.setTimeout(apply, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  function init() {
    document.querySelectorAll("form[data-ref-filtres]").forEach(setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();

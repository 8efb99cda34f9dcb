/*
 * Filters: the lists of entries (enseignements, fiches, territoires) and the matrix.
 *
 * Progressive enhancement: without JavaScript the lists are complete and grouped by their main
 * vocabulary, the whole matrix is shown, and the forms stay hidden. Here each form is shown, and
 * each change applies the choice:
 * - in a list (form[data-ref-filtres]), the items whose data-* attributes do not match are hidden,
 *   then the groups left empty, and the number of items left is announced;
 * - in the matrix (form[data-ref-matrice]), choosing a family hides the other families' rows (each
 *   lesson's link carries data-famille), choosing a territory hides the other territories' columns
 *   (each header link carries data-territoire).
 *
 * Loaded only by the pages that hold such a form (overrides/main.html), at the end of their content:
 * instant navigation runs it again each time it shows such a page.
 */
(function () {
  "use strict";

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  /* The list's way of applying the form's choice. */
  function list(form, page) {
    var selects = all(form, "select[data-filtre]");
    var items = all(page, ".ref-groupe li");
    var groups = all(page, ".ref-groupe");
    var count = form.querySelector("[data-ref-compte]");

    function matches(item) {
      return selects.every(function (select) {
        return !select.value || item.getAttribute("data-" + select.dataset.filtre) === select.value;
      });
    }

    return function () {
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
    };
  }

  /* The matrix's way of applying the form's choice; none without a table. */
  function matrix(form, page) {
    var table = page.querySelector(".ref-matrice table");
    if (!table) {
      return null;
    }
    var family = form.querySelector("select[data-matrice='famille']");
    var territory = form.querySelector("select[data-matrice='territoire']");
    var headers = all(table, "thead th");
    var rows = all(table, "tbody tr");

    return function () {
      var column = -1;
      headers.forEach(function (header, index) {
        var link = header.querySelector("[data-territoire]");
        if (link && link.getAttribute("data-territoire") === territory.value) {
          column = index;
        }
      });
      var columns = headers.map(function (header, index) {
        var isTerritory = Boolean(header.querySelector("[data-territoire]"));
        return !territory.value || !isTerritory || index === column;
      });
      [table.querySelector("thead tr")].concat(rows).forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          cell.hidden = !columns[index];
        });
      });
      rows.forEach(function (row) {
        var lesson = row.querySelector("[data-famille]");
        row.hidden = Boolean(family.value) && (!lesson || lesson.getAttribute("data-famille") !== family.value);
      });
    };
  }

  var FORMS = { "data-ref-filtres": list, "data-ref-matrice": matrix };

  /* What every form shares: shown once ready, applied at each change and after a reset, never sent. */
  function setUp(form, way) {
    if (form.dataset.pret) {
      return;
    }
    form.dataset.pret = "oui";
    var apply = way(form, form.closest("article") || document);
    if (!apply) {
      return;
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
    Object.keys(FORMS).forEach(function (attribute) {
      document.querySelectorAll("form[" + attribute + "]").forEach(function (form) {
        setUp(form, FORMS[attribute]);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/*
 * The matrix, one family or one territory at a time.
 *
 * Progressive enhancement: without JavaScript the whole table is shown and the form stays hidden.
 * Here the form is shown; choosing a family hides the other families' rows (each lesson's link
 * carries data-famille), choosing a territory hides the other territories' columns (each header
 * link carries data-territoire).
 */
(function () {
  "use strict";

  function setUp(form) {
    if (form.dataset.pret) {
      return;
    }
    form.dataset.pret = "oui";
    var page = form.closest("article") || document;
    var table = page.querySelector(".ref-matrice table");
    if (!table) {
      return;
    }
    var family = form.querySelector("select[data-matrice='famille']");
    var territory = form.querySelector("select[data-matrice='territoire']");
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));

    function apply() {
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
    document.querySelectorAll("form[data-ref-matrice]").forEach(setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();

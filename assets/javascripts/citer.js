/*
 * « Citer cette page » : the day of the visit in the citation.
 *
 * Progressive enhancement: without JavaScript the citation reads « consulté le JJ mois AAAA »,
 * for the reader to fill in. Here the placeholder becomes today's date, written in French. While
 * the publication has no address of its own (referentiel.yaml), the citation says « adresse de
 * cette page »: it becomes the address the page was read at.
 */
(function () {
  "use strict";

  var FORMAT = { day: "numeric", month: "long", year: "numeric" };

  function init() {
    var today = new Date().toLocaleDateString("fr-FR", FORMAT).replace(/^1 /, "1er ");
    document.querySelectorAll("[data-ref-consultation]").forEach(function (element) {
      element.textContent = today;
    });
    document.querySelectorAll("[data-ref-adresse]").forEach(function (element) {
      element.textContent = window.location.href.split("#")[0];
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();

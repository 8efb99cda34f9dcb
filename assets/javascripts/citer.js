/*
 * « Citer cette page » : the day of the visit in the citation.
 *
 * Progressive enhancement: without JavaScript the citation reads « consulté le JJ mois AAAA »,
 * for the reader to fill in. Here the placeholder becomes today's date, written in French. While
 * the publication has no address of its own (referentiel.yaml), the citation says « adresse de
 * cette page »: it becomes the address the page was read at.
 *
 * Loaded only by the pages that hold a citation (overrides/main.html), at the end of their content:
 * instant navigation runs it again each time it shows such a page. The months are written here
 * rather than asked of Intl, whose French data takes a slow phone a tenth of a second to load.
 */
(function () {
  "use strict";

  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre"];

  function today() {
    var date = new Date();
    var day = date.getDate();
    return (day === 1 ? "1er" : String(day)) + " " + MONTHS[date.getMonth()] + " " + date.getFullYear();
  }

  function init() {
    var date = today();
    document.querySelectorAll("[data-ref-consultation]").forEach(function (element) {
      element.textContent = date;
    });
    document.querySelectorAll("[data-ref-adresse]").forEach(function (element) {
      element.textContent = window.location.href.split("#")[0];
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

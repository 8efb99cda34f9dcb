// The « Rechercher » page: starts Pagefind's interface (French, from the page's language) and
// searches the words of the address, « ?q=… », sent by the header's form.
(function () {
  var place = document.getElementById("ref-recherche");
  if (!place) return;
  if (typeof PagefindUI === "undefined") {  // the live preview: Pagefind indexes only the built site
    place.textContent = "La recherche n'est pas disponible ici : elle est construite avec le site " +
      "(python build.py). Parcourez les listes du menu en attendant.";
    return;
  }
  var ui = new PagefindUI({element: "#ref-recherche", showSubResults: true, showImages: false,
                           resetStyles: false, autofocus: true});
  // Material would turn the field's title into a tooltip over the results: the placeholder says it.
  place.querySelectorAll("[title]").forEach(function (element) { element.removeAttribute("title"); });
  var words = new URLSearchParams(window.location.search).get("q");
  if (words) ui.triggerSearch(words);
  var header = document.getElementById("ref-recherche-mots");
  if (header && words) header.value = words;
})();

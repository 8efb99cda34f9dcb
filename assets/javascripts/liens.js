/*
 * « Copier le lien » beside each section heading of a page.
 *
 * Every section heading has a stable id (written explicitly in the templates). Here each one gets a
 * real <button>, reachable with the keyboard, that copies the address of the page with the
 * section's anchor. The result is announced in a status region for screen readers. Without
 * JavaScript, the « ¶ » link of each heading still gives the same address.
 */
(function () {
  "use strict";

  var HEADINGS = "h2[id], h3[id], h4[id], h5[id], h6[id]";

  function status(article) {
    var region = article.querySelector("[data-ref-lien-statut]");
    if (!region) {
      region = document.createElement("p");
      region.className = "ref-sr";
      region.setAttribute("role", "status");
      region.setAttribute("data-ref-lien-statut", "");
      article.appendChild(region);
    }
    return region;
  }

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "ref-sr";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(field);
    return copied ? Promise.resolve() : Promise.reject(new Error("copie refusée"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyWithSelection(text);
      });
    }
    return copyWithSelection(text);
  }

  function addButton(heading, region) {
    if (heading.querySelector(".ref-copier-lien")) {
      return;
    }
    var title = (heading.textContent || "").replace("¶", "").trim();
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ref-copier-lien";
    button.textContent = "Copier le lien";
    button.setAttribute("aria-label", "Copier le lien vers la section « " + title + " »");
    button.addEventListener("click", function () {
      var address = window.location.href.split("#")[0] + "#" + heading.id;
      copy(address).then(function () {
        button.textContent = "Lien copié";
        region.textContent = "Lien vers la section « " + title + " » copié : " + address;
      }, function () {
        region.textContent = "Copie impossible ; le lien de la section est : " + address;
      });
    });
    button.addEventListener("blur", function () {
      button.textContent = "Copier le lien";
    });
    heading.appendChild(button);
  }

  function init() {
    document.querySelectorAll("article.md-content__inner").forEach(function (article) {
      var region = status(article);
      article.querySelectorAll(HEADINGS).forEach(function (heading) {
        addButton(heading, region);
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();

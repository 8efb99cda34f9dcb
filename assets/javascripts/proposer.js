/*
 * « Proposer une entrée » : the form of the page proposer/, for readers who use neither git nor YAML.
 *
 * The form is drawn by JSON Editor (served by the site, assets/javascripts/jsoneditor.js, loaded only
 * on this page) from proposer/formulaire.json, which the engine derives from the models: a field added
 * to a model appears here with no other change. The values are checked against the same schema, with
 * French messages beside the fields; the entry is then written as the YAML file `python build.py fmt`
 * keeps as it is, and sent to the forge's new-file page, downloaded or copied. Drafts stay in this
 * browser's local storage until the reader clears them.
 */
(function () {
  "use strict";

  var SCRIPT = document.currentScript;
  var BASE = SCRIPT ? SCRIPT.src.replace(/assets\/javascripts\/proposer\.js(?:\?.*)?$/, "") : "";
  var BRANCH = "main";
  var URL_LIMIT = 8000;
  /* Longer addresses are cut by browsers or refused by forges: the file is then downloaded and uploaded. */
  var DRAFT_PREFIX = "referentiel-proposer-";
  var NULLS = ["", "~", "null", "Null", "NULL"];

  var FRENCH = {
    error_notset: "Ce champ doit être rempli",
    error_notempty: "Valeur obligatoire",
    error_enum: "Choisissez une des valeurs proposées",
    error_const: "Valeur non permise",
    error_anyOf: "Valeur non permise",
    error_oneOf: "Valeur non permise",
    error_not: "Valeur non permise",
    error_type_union: "Type de valeur non permis",
    error_type: "La valeur doit être de type {{0}}",
    error_disallow_union: "Type de valeur non permis",
    error_disallow: "La valeur ne doit pas être de type {{0}}",
    error_multipleOf: "La valeur doit être un multiple de {{0}}",
    error_maximum_excl: "La valeur doit être inférieure à {{0}}",
    error_maximum_incl: "La valeur doit être au plus {{0}}",
    error_minimum_excl: "La valeur doit être supérieure à {{0}}",
    error_minimum_incl: "La valeur doit être au moins {{0}}",
    error_maxLength: "Texte trop long : {{0}} caractères au plus",
    error_minLength: "Texte trop court : au moins {{0}} caractère(s)",
    error_pattern: "Format non reconnu",
    error_additionalItems: "Pas d'autre élément possible dans cette liste",
    error_maxItems: "{{0}} éléments au plus",
    error_minItems: "Au moins {{0}} élément(s)",
    error_uniqueItems: "Chaque élément ne doit figurer qu'une fois",
    error_maxProperties: "{{0}} champs au plus",
    error_minProperties: "Au moins {{0}} champ(s)",
    error_required: "Champ obligatoire : « {{0}} »",
    error_additional_properties: "Champ inconnu : {{0}}",
    error_dependency: "Le champ {{0}} doit aussi être rempli",
    error_date: "Date au format AAAA-MM-JJ",
    error_time: "Heure au format HH:MM",
    error_hostname: "Nom de domaine invalide",
    button_add_row_title: "Ajouter : {{0}}",
    button_move_down_title: "Descendre",
    button_move_up_title: "Monter",
    button_delete_row_title: "Retirer : {{0}}",
    button_delete_row_title_short: "Retirer",
    button_copy_row_title: "Dupliquer : {{0}}",
    button_copy_row_title_short: "Dupliquer",
    button_delete_all: "Tout retirer",
    button_delete_all_title: "Tout retirer",
    button_delete_last: "Retirer le dernier : {{0}}",
    button_delete_last_title: "Retirer le dernier : {{0}}",
    button_collapse: "Replier",
    button_expand: "Déplier",
    button_add: "Ajouter",
    default_array_item_title: "élément",
    choices_placeholder_text: "Choisir une valeur"
  };

  /* --- values ------------------------------------------------------------------------------ */

  /* What the reader left empty is not written: empty texts, lists and mappings, and values equal to
   * their field's default (« environ: false »), are dropped. */
  function prune(value, schema) {
    schema = schema || {};
    if (schema["default"] !== undefined && schema["default"] !== null && typeof value !== "object" && value === schema["default"]) {
      return undefined;
    }
    if (typeof value === "string") {
      var text = value.replace(/\r\n?/g, "\n").split("\n").map(function (line) { return line.replace(/\s+$/, ""); })
        .join("\n").replace(/^\n+|\s+$/g, "");
      return text === "" ? undefined : text;
    }
    if (typeof value === "number" && isNaN(value)) return undefined;
    if (Array.isArray(value)) {
      var items = value.map(function (item) { return prune(item, schema.items); })
        .filter(function (item) { return item !== undefined; });
      return items.length ? items : undefined;
    }
    if (value && typeof value === "object") {
      var result = {};
      Object.keys(value).forEach(function (key) {
        var item = prune(value[key], (schema.properties || {})[key]);
        if (item !== undefined) result[key] = item;
      });
      return Object.keys(result).length ? result : undefined;
    }
    return value === null ? undefined : value;
  }

  /* JSON Editor hides an optional field that its starting value lacks: every field gets an empty value. */
  function complete(value, schema) {
    if (!schema || schema.type !== "object" || !schema.properties) return value;
    var result = Object.assign({}, value);
    Object.keys(schema.properties).forEach(function (key) {
      var field = schema.properties[key];
      if (key in result) {
        if (field.type === "object") result[key] = complete(result[key], field);
        else if (field.type === "array" && Array.isArray(result[key])) {
          result[key] = result[key].map(function (item) { return complete(item, field.items); });
        }
      } else if (field.type === "array") {
        result[key] = [];
      } else if (field.type === "object") {
        result[key] = complete({}, field);
      } else if (field.type === "boolean") {
        result[key] = field["default"] === true;
      } else {
        result[key] = "";  /* an empty text or number box: its value is unset */
      }
    });
    return result;
  }

  /* --- the YAML file, in the layout of `python build.py fmt` ------------------------------- */

  var PLAIN = /^[^\s\-?:,\[\]{}#&*!|>'"%@`][^\n]*$/;
  var RISKY = /: |:$| #|\s$|^- |^[-?:]$/;

  function scalar(text) {
    if (PLAIN.test(text) && !RISKY.test(text) && NULLS.indexOf(text) < 0 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text)) {
      return text;
    }
    return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, function (char) {
      return "\\u" + ("000" + char.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function block(text, indent) {
    return text.split("\n").map(function (line) { return line ? indent + line : ""; }).join("\n");
  }

  /* The lines of a value placed after `head` (« key: » or « - »), at `indent`. */
  function emit(head, value, schema, indent, lines) {
    if (typeof value === "string") {
      if (value.indexOf("\n") >= 0) {
        lines.push(head + " |-");
        lines.push(block(value, indent + "  "));
      } else {
        lines.push(head + " " + scalar(value));
      }
    } else if (Array.isArray(value)) {
      lines.push(head);
      value.forEach(function (item) { emitItem(item, (schema && schema.items) || {}, indent + "  ", lines); });
    } else if (value && typeof value === "object") {
      lines.push(head);
      emitMapping(value, schema || {}, indent + "  ", lines);
    } else {
      lines.push(head + " " + String(value));
    }
  }

  function emitItem(item, schema, indent, lines) {
    if (item && typeof item === "object" && !Array.isArray(item)) {
      var nested = [];
      emitMapping(item, schema, indent + "  ", nested);
      nested[0] = indent + "- " + nested[0].slice(indent.length + 2);
      Array.prototype.push.apply(lines, nested);
    } else {
      emit(indent + "-", item, schema, indent + "  ", lines);
    }
  }

  function ordered(value, schema) {
    var known = Object.keys((schema && schema.properties) || {});
    return known.filter(function (key) { return key in value; })
      .concat(Object.keys(value).filter(function (key) { return known.indexOf(key) < 0; }));
  }

  function emitMapping(value, schema, indent, lines) {
    ordered(value, schema).forEach(function (key) {
      emit(indent + key + ":", value[key], (schema.properties || {})[key], indent, lines);
    });
  }

  function yamlFile(kind, value, schema) {
    var lines = ["# yaml-language-server: $schema=../schemas/" + kind + ".schema.json"];
    emitMapping(value, schema, "", lines);
    return lines.join("\n") + "\n";
  }

  /* --- the forge ------------------------------------------------------------------------------ */

  function forgeOf(depot) {
    var host = new URL(depot).hostname;
    if (host === "github.com" || /(^|\.)github\./.test(host)) return "github";
    if (/gitlab/.test(host)) return "gitlab";
    return "forgejo";
  }

  /* The forge's page that creates the file, with its name and content filled in where the forge allows. */
  function forgeAddress(depot, path, text) {
    var base = depot.replace(/\/+$/, "");
    var forge = forgeOf(depot);
    var folder = path.slice(0, path.lastIndexOf("/"));
    var name = path.slice(path.lastIndexOf("/") + 1);
    if (forge === "github") {
      var full = base + "/new/" + BRANCH + "?filename=" + encodeURIComponent(path) + "&value=" + encodeURIComponent(text);
      if (full.length <= URL_LIMIT) return { forge: forge, address: full, filled: true };
      return { forge: forge, address: base + "/upload/" + BRANCH + "/" + folder, filled: false };
    }
    if (forge === "gitlab") {
      return { forge: forge, address: base + "/-/new/" + BRANCH + "/" + folder + "?file_name=" + encodeURIComponent(name), filled: false };
    }
    return { forge: forge, address: base + "/_new/" + BRANCH + "/" + folder, filled: false };
  }

  /* --- the page --------------------------------------------------------------------------------- */

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function slug(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/œ/g, "oe").replace(/æ/g, "ae")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }

  function Form(root, data) {
    this.root = root;
    this.data = data;
    this.kinds = Object.keys(data.sortes);
    this.checked = false;
    this.draw();
  }

  Form.prototype.draw = function () {
    var self = this;
    var form = element("form", { "class": "ref-proposer-formulaire", novalidate: "" });
    form.addEventListener("submit", function (event) { event.preventDefault(); self.prepare(); });
    var choice = element("fieldset", { "class": "ref-proposer-sorte" });
    choice.appendChild(element("legend", {}, "Que voulez-vous proposer ?"));
    this.kinds.forEach(function (kind) {
      var label = element("label");
      var radio = element("input", { type: "radio", name: "sorte", value: kind });
      radio.addEventListener("change", function () { self.open(kind, null); });
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + self.data.sortes[kind].libelle));
      choice.appendChild(label);
    });
    form.appendChild(choice);
    this.status = element("p", { "class": "ref-proposer-etat", role: "status" });
    form.appendChild(this.status);
    this.holder = element("div", { "class": "ref-proposer-champs" });
    form.appendChild(this.holder);
    this.summary = element("div", { "class": "ref-proposer-erreurs", role: "alert" });
    form.appendChild(this.summary);
    var actions = element("p", { "class": "ref-proposer-actions" });
    this.prepareButton = element("button", { type: "submit", "class": "md-button md-button--primary" }, "Vérifier et préparer le fichier");
    var clear = element("button", { type: "button", "class": "md-button" }, "Effacer le brouillon");
    clear.addEventListener("click", function () { self.clear(); });
    actions.appendChild(this.prepareButton);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(clear);
    form.appendChild(actions);
    this.result = element("section", { "class": "ref-proposer-fichier", hidden: "" });
    form.appendChild(this.result);
    this.root.textContent = "";
    this.root.appendChild(form);
    this.form = form;
  };

  Form.prototype.open = function (kind, start) {
    var self = this;
    this.kind = kind;
    this.checked = false;
    this.summary.textContent = "";
    this.result.hidden = true;
    this.form.querySelectorAll("input[name=sorte]").forEach(function (radio) { radio.checked = radio.value === kind; });
    if (this.editor) this.editor.destroy();
    var draft = start ? null : this.draft();
    this.editor = new window.JSONEditor(this.holder, {
      schema: this.data.sortes[kind].schema,
      startval: complete(start || draft || {}, this.data.sortes[kind].schema),
      theme: "html",
      iconlib: null,
      language: "fr",
      show_errors: "never",
      disable_edit_json: true,
      disable_properties: true,
      disable_collapse: true,
      disable_array_delete_all_rows: true,
      disable_array_delete_last_row: true,
      prompt_before_delete: false
    });
    var editor = this.editor;
    var ready = new Promise(function (resolve) {
      editor.on("ready", function () {
        editor.showValidationErrors([]);  /* JSON Editor shows them on load: only once the reader asks */
        self.label();
        self.status.textContent = draft ? "Brouillon repris : votre saisie précédente est remplie ci-dessous." : "";
        resolve();
      });
    });
    this.editor.on("change", function () {
      self.label();
      self.suggestId();
      self.save();
      if (self.checked) self.check();
    });
    return ready;
  };

  /* Every field gets an accessible name (JSON Editor leaves some inputs of lists without one). */
  Form.prototype.label = function () {
    this.holder.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (field.labels && field.labels.length) return;
      if (field.getAttribute("aria-label")) return;
      var container = field.closest("[data-schemapath]");
      var path = container ? container.getAttribute("data-schemapath") : "";
      field.setAttribute("aria-label", path.replace(/^root\.?/, "").replace(/\./g, " › ") || "valeur");
    });
  };

  Form.prototype.suggestId = function () {
    var ident = this.editor.getEditor("root.id");
    var title = this.editor.getEditor("root.titre") || this.editor.getEditor("root.nom");
    if (!ident || !title || ident.getValue() || !title.getValue()) return;
    if (document.activeElement && ident.container.contains(document.activeElement)) return;
    ident.setValue(slug(title.getValue()));
  };

  Form.prototype.value = function () {
    return prune(this.editor.getValue(), this.data.sortes[this.kind].schema) || {};
  };

  Form.prototype.check = function () {
    var errors = this.editor.validate(this.value());
    this.editor.showValidationErrors(errors);
    this.summary.textContent = "";
    if (!errors.length) return errors;
    this.summary.appendChild(element("p", {}, errors.length === 1 ? "Un champ est à corriger :" : errors.length + " champs sont à corriger :"));
    var list = element("ul");
    var self = this;
    errors.forEach(function (error) {
      var item = element("li");
      var where = error.path.replace(/^root\.?/, "").replace(/\./g, " › ") || "l'entrée";
      var link = element("a", { href: "#" }, where);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var container = self.holder.querySelector('[data-schemapath="' + error.path + '"]');
        var field = container && container.querySelector("input, select, textarea");
        if (field) field.focus();
      });
      item.appendChild(link);
      item.appendChild(document.createTextNode(" : " + error.message));
      list.appendChild(item);
    });
    this.summary.appendChild(list);
    return errors;
  };

  Form.prototype.prepare = function () {
    if (!this.editor) {
      this.summary.textContent = "Choisissez d'abord ce que vous voulez proposer.";
      return;
    }
    this.checked = true;
    this.result.hidden = true;
    if (this.check().length) return;
    var value = this.value();
    var sorte = this.data.sortes[this.kind];
    var path = sorte.dossier + "/" + value.id + ".yaml";
    this.show(path, yamlFile(this.kind, value, sorte.schema));
  };

  Form.prototype.show = function (path, text) {
    var self = this;
    this.result.textContent = "";
    this.result.appendChild(element("h2", {}, "Le fichier de votre proposition"));
    var name = element("p", {}, "Nom du fichier : ");
    name.appendChild(element("code", {}, path));
    this.result.appendChild(name);
    var box = element("textarea", { readonly: "", rows: "12", "class": "ref-proposer-yaml", "aria-label": "Contenu du fichier " + path });
    box.value = text;
    this.result.appendChild(box);
    var actions = element("p", { "class": "ref-proposer-actions" });
    var help = element("p", { "class": "ref-proposer-aide" });
    if (this.data.depot) {
      var target = forgeAddress(this.data.depot, path, text);
      var send = element("a", { href: target.address, "class": "md-button md-button--primary", "data-ref-envoyer": "" }, "Envoyer");
      if (!target.filled) {
        send.addEventListener("click", function () { self.copy(text, help); self.download(path, text); });
      }
      actions.appendChild(send);
      actions.appendChild(document.createTextNode(" "));
      help.textContent = target.filled
        ? "« Envoyer » ouvre la page du dépôt qui crée ce fichier, déjà rempli : enregistrez-le (« Commit changes »), puis ouvrez la demande de modification qu'elle vous propose."
        : target.forge === "github"
          ? "Ce fichier est trop long pour être transmis par l'adresse : « Envoyer » le télécharge et ouvre la page du dépôt où le déposer (« Upload files »)."
          : "« Envoyer » copie le contenu, télécharge le fichier et ouvre la page du dépôt qui crée un fichier : donnez-lui le nom ci-dessus, collez le contenu, puis proposez la modification.";
    } else {
      help.textContent = "Téléchargez ou copiez ce fichier, puis envoyez-le à l'équipe du référentiel : elle l'ajoutera au dépôt.";
    }
    var download = element("button", { type: "button", "class": "md-button" }, "Télécharger le fichier");
    download.addEventListener("click", function () { self.download(path, text); });
    var copy = element("button", { type: "button", "class": "md-button" }, "Copier le contenu");
    copy.addEventListener("click", function () { self.copy(text, help); });
    actions.appendChild(download);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(copy);
    this.result.appendChild(actions);
    this.result.appendChild(help);
    this.result.hidden = false;
    this.result.querySelector("h2").setAttribute("tabindex", "-1");
    this.result.querySelector("h2").focus();
  };

  Form.prototype.download = function (path, text) {
    var link = element("a", { href: URL.createObjectURL(new Blob([text], { type: "application/yaml" })), download: path.split("/").pop() });
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  Form.prototype.copy = function (text, help) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        help.textContent = "Contenu copié. " + help.textContent.replace(/^Contenu copié\. /, "");
      }, function () { return null; });
    }
  };

  /* --- drafts ----------------------------------------------------------------------------------- */

  Form.prototype.draft = function () {
    try {
      var saved = window.localStorage.getItem(DRAFT_PREFIX + this.kind);
      return saved ? JSON.parse(saved) : null;
    } catch (error) {
      return null;
    }
  };

  Form.prototype.save = function () {
    try {
      var value = this.value();
      if (Object.keys(value).length) window.localStorage.setItem(DRAFT_PREFIX + this.kind, JSON.stringify(value));
    } catch (error) {
      return;
    }
  };

  Form.prototype.clear = function () {
    if (!this.kind) return;
    try {
      window.localStorage.removeItem(DRAFT_PREFIX + this.kind);
    } catch (error) {
      return;
    }
    this.open(this.kind, {});
    this.status.textContent = "Brouillon effacé.";
  };

  /* --- start -------------------------------------------------------------------------------------- */

  function library() {
    if (window.JSONEditor) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var script = element("script", { src: BASE + "assets/javascripts/jsoneditor.js" });
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function json(address) {
    return fetch(address).then(function (response) {
      if (!response.ok) throw new Error(address);
      return response.json();
    });
  }

  /* A correction: the entry as published, from the open data, filled in the form. */
  function entry(data, kind, ident) {
    if (!kind || !ident || !data.sortes[kind]) return Promise.resolve(null);
    return json(BASE + "donnees/" + data.sortes[kind].dossier + ".json").then(function (whole) {
      var found = (whole[data.sortes[kind].dossier] || []).filter(function (item) { return item.id === ident; });
      return found.length ? found[0] : null;
    }, function () { return null; });
  }

  function init() {
    var root = document.getElementById("ref-proposer");
    if (!root || root.getAttribute("data-ref-pret")) return;
    root.setAttribute("data-ref-pret", "chargement");
    var query = new URLSearchParams(window.location.search);
    Promise.all([json(BASE + "proposer/formulaire.json"), library()]).then(function (results) {
      var data = results[0];
      window.JSONEditor.defaults.languages.fr = FRENCH;
      window.JSONEditor.defaults.language = "fr";
      var form = new Form(root, data);
      window.refProposer = form;
      var kind = query.get("sorte");
      return entry(data, kind, query.get("id")).then(function (found) {
        return (data.sortes[kind] ? form.open(kind, found ? prune(found, data.sortes[kind].schema) : null) : Promise.resolve()).then(function () {
          if (found) form.status.textContent = "Correction de « " + (found.titre || found.nom) + " » : modifiez ce qui doit l'être, puis préparez le fichier.";
          root.setAttribute("data-ref-pret", "oui");
        });
      });
    }).catch(function () {
      root.setAttribute("data-ref-pret", "non");
      root.appendChild(element("p", { "class": "ref-proposer-erreurs" },
        "Le formulaire n'a pas pu être chargé. Il a besoin du site en ligne (il ne fonctionne pas dans le site hors ligne ouvert depuis un dossier)."));
    });
  }

  /* Loaded only by the « Proposer » page (overrides/main.html), at the end of its content: instant
     navigation runs it again each time it shows the page. */
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }

  window.refProposerYaml = { yamlFile: yamlFile, prune: prune, forgeAddress: forgeAddress, scalar: scalar };
})();

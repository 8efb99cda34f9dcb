"""What changed: the « Ce qui a changé » page between the previous edition and this one, the
`changements` command, and the history of each entry on its page."""

import html
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest
from support import checked, commit_all, executable_vectors, git, mini_referentiel, own_publication, replace, run_cli

from engine.check.edition_diff import Changes, EntryChange, FieldChange
from engine.load import history
from engine.load.history import History
from engine.render import changes_page as changelog
from engine.render.pages import HISTORY_SHOWN, Pages, entry_page

ROOT = Path(__file__).resolve().parent.parent
OBJECTIVE = "Reconnaître à chaque habitant un **droit d'initiative**."


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cli("--racine", str(root), *args)


def shown(markdown_text: str) -> str:
    """The page as read: entities (which keep the text inert for Markdown) turned back into characters."""
    return html.unescape(markdown_text)


def pages(root: Path) -> Pages:
    return Pages(checked(root), History(root))


def first_edition(tmp_path: Path) -> Path:
    """The small référentiel published as its edition 2026.1."""
    root = mini_referentiel(tmp_path)
    own_publication(root, edition="2026.1")
    commit_all(root, "Première édition", tag="2026.1")
    return root


def second_edition(root: Path) -> None:
    """Changes for 2026.2: a fiche renamed and retitled, a fiche's objective reworded, a fiche added."""
    shutil.move(root / "fiches/visite-prealable.yaml", root / "fiches/visite-du-territoire.yaml")
    replace(root, "fiches/visite-du-territoire.yaml", "id: visite-prealable",
            "id: visite-du-territoire\nanciens_ids: [visite-prealable]")
    replace(root, "fiches/visite-du-territoire.yaml", "titre: La visite préalable du territoire",
            "titre: La visite du territoire")
    for path in ("lessons/recit-partage.yaml", "fiches/fifty-fifty.yaml"):
        replace(root, path, "  - visite-prealable", "  - visite-du-territoire")
    replace(root, "fiches/fifty-fifty.yaml", OBJECTIVE, "Reconnaître à chaque habitant un **droit d'initiative** "
            "et de proposition.")
    forum = (root / "fiches/visite-du-territoire.yaml").read_text(encoding="utf-8")
    (root / "fiches/forum.yaml").write_text(forum.replace("id: visite-du-territoire\nanciens_ids: [visite-prealable]",
                                                          "id: forum").replace("La visite du territoire", "Le forum"),
                                            encoding="utf-8")
    own_publication(root, edition="2026.2")


def test_the_first_edition_has_nothing_to_compare_with(tmp_path: Path):
    page = shown(changelog.page(pages(first_edition(tmp_path))))
    assert page.startswith("---\ntitle: Ce qui a changé\n---\n\n# Ce qui a changé\n")
    assert "L'édition 2026.1 est la première édition du référentiel." in page


def test_the_page_compares_the_previous_edition_with_this_one_entry_by_entry(tmp_path: Path):
    root = first_edition(tmp_path)
    second_edition(root)
    page = shown(changelog.page(pages(root)))
    assert "Les entrées ajoutées, retirées, renommées et modifiées entre l'édition 2026.1 et l'édition\n2026.2." in page
    assert "## Entrées ajoutées {#ajoutees}\n\n- Fiche : [Le forum](fiches/forum.md)\n" in page
    assert "## Entrées retirées" not in page
    assert ("### [La visite du territoire](fiches/visite-du-territoire.md) {#renommee-fiche-visite-du-territoire}\n\n"
            "Fiche : l'identifiant `visite-prealable` devient `visite-du-territoire`.") in page
    assert ("### [Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants](fiches/fifty-fifty.md) "
            "{#modifiee-fiche-fifty-fifty}\n\nFiche · 2 champs modifiés") in page


def test_a_short_changed_field_is_shown_before_and_after_side_by_side(tmp_path: Path):
    root = first_edition(tmp_path)
    second_edition(root)
    page = changelog.page(pages(root))
    title = page[page.index('aria-label="Titre"'):]
    title = title[: title.index("</div>\n</div>")]
    before, after = title.split('<div class="ref-changement__apres">')
    assert '<p class="ref-changement__libelle">Avant</p><div class="ref-texte">' in before
    assert "La visite préalable du territoire" in before and "La visite du territoire" in after
    assert '<p class="ref-changement__libelle">Après</p>' in after
    objective = page[page.index('aria-label="Objectif"'):]
    objective = html.unescape(objective[: objective.index("</div>\n</div>")])
    assert "un **droit d'initiative**<ins> et de proposition</ins>.<br><br>Pour être retenu" in objective


def test_fields_are_named_by_their_french_label_and_a_long_text_shows_its_changed_words(tmp_path: Path):
    root = first_edition(tmp_path)
    replace(root, "lessons/recit-partage.yaml", "qui relie **d'où l'on vient** et où l'on veut aller.\n  L'ADEME a soutenu",
            "qui relie **d'où l'on vient** et où l'on veut aller ensemble.\n  L'ADEME a financé")
    replace(root, "lessons/recit-partage.yaml", "titre_court: Partager un récit", "titre_court: Un récit partagé")
    own_publication(root, edition="2026.2")
    page = changelog.page(pages(root))
    assert '<p class="ref-changement__nom">Titre court</p>' in page and "titre_court" not in page
    what = page[page.index('aria-label="Quoi"'):]
    what = what[: what.index("</div>\n</div>")]
    assert "Avant" not in what, "a long text is shown once"
    assert ("veut aller<ins> ensemble</ins>. L'ADEME a <del>soutenu</del><ins>financé</ins> ce travail."
            in html.unescape(what))
    assert "<p class=\"ref-changement__libelle\">Mots retirés et ajoutés</p>" in what


def test_a_word_diff_keeps_every_word_and_marks_only_the_changes():
    before = "Les habitants " * 10 + "<script>alert(1)</script> & le maire décident."
    after = "Les habitants " * 10 + "<script>alert(1)</script> & le conseil décident ensemble."
    marked = str(changelog.word_diff(before, after))
    assert "<script>" not in marked and "&lt;script&gt;" in marked
    assert marked.endswith("&amp; le <del>maire</del><ins>conseil</ins> décident<ins> ensemble</ins>.")
    assert changelog.word_diff("Un titre", "Un autre titre") is None, "short texts are shown before and after"
    assert changelog.word_diff(["a"] * 200, ["b"] * 200) is None


def test_old_and_new_values_are_rendered_inert_whatever_they_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = first_edition(tmp_path)
    payload = ('<script>alert(1)</script> [x](javascript:alert(2)) {: onclick="alert(3)" } '
               '<img src=x onerror=alert(4)>')
    hostile = EntryChange("fiche", "fifty-fifty", payload, fields=[
        FieldChange("objectif", payload, f"**{payload}**"),
        FieldChange("etapes", [{"titre": payload, "duree": None}], [{"titre": payload, "description": payload}]),
        FieldChange("difficultes", [], [payload]),
    ])
    monkeypatch.setattr(changelog, "this_edition",
                        lambda referentiel: changelog.Comparison("2026.1", Changes(modified=[hostile])))
    page = changelog.page(pages(root))
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["attr_list", "md_in_html", "tables"])
    assert "alert(1)" in html and "(vide)" in html
    assert executable_vectors(html) == []


def test_the_changements_command_writes_the_changes_in_the_style_of_the_changelog(tmp_path: Path):
    root = first_edition(tmp_path)
    second_edition(root)
    commit_all(root, "Deuxième édition", tag="2026.2")
    result = run(root, "changements", "2026.1", "2026.2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Changements des entrées de 2026.1 à 2026.2 :\n\n"
        "### Ajouté\n\n- Fiche « Le forum » (`forum`)\n\n"
        "### Renommé\n\n- Fiche « La visite du territoire » : `visite-prealable` devient `visite-du-territoire` ; "
        "champs modifiés : titre\n\n"
        "### Modifié\n\n"
        "- Enseignement « Co-construire et partager un récit avec les acteurs du territoire » (`recit-partage`) : "
        "fiches_liees\n"
        "- Fiche « Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants » (`fifty-fifty`) : "
        "objectif, fiches_liees\n")


def test_the_changements_command_starts_from_the_previous_edition_and_lists_removed_entries(tmp_path: Path):
    root = first_edition(tmp_path)
    second_edition(root)
    commit_all(root, "Deuxième édition", tag="2026.2")
    (root / "fiches/forum.yaml").unlink()
    commit_all(root, "Le forum est retiré")
    result = run(root, "changements", "2026.2", "HEAD")
    assert "### Retiré\n\n- Fiche « Le forum » (`forum`)" in result.stdout
    git(root, "checkout", "2026.2", "--", "fiches/forum.yaml")
    replace(root, "fiches/forum.yaml", "titre: Le forum", "titre: Le forum ouvert")
    own_publication(root, edition="2026.3")
    result = run(root, "changements")
    assert result.stdout.startswith("Changements des entrées de 2026.2 à l’état actuel du référentiel :\n\n"
                                    "### Modifié\n\n- Fiche « Le forum ouvert » (`forum`) : titre\n")


def test_before_the_edition_is_raised_changements_starts_from_its_existing_tag(tmp_path: Path):
    root = first_edition(tmp_path)
    replace(root, "fiches/fifty-fifty.yaml", OBJECTIVE, "Reconnaître à chaque habitant un droit de proposition.")
    result = run(root, "changements")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Changements des entrées de 2026.1 à l’état actuel du référentiel :\n\n"
                                    "### Modifié\n\n- Fiche « Le fifty-fifty")
    assert result.stderr == ("L'édition 2026.1 est déjà publiée (balise git) : avant de publier ces changements, "
                             "passez edition à l'édition suivante dans referentiel.yaml et CITATION.cff.\n")
    git(root, "checkout", "--", ".")
    first = run(root, "changements")
    assert first.returncode == 1, "the tagged first edition itself has nothing before it"
    assert "Aucune édition n'a précédé celle-ci" in first.stderr


def test_an_unknown_revision_is_reported_in_french(tmp_path: Path):
    root = first_edition(tmp_path)
    result = run(root, "changements", "2025.9")
    assert result.returncode == 2
    assert "révision git inconnue : « 2025.9 »" in result.stderr and "Traceback" not in result.stderr
    assert run(root, "changements", "--", "--output=/tmp/x").returncode == 2


# --- The history of an entry, on its page ---------------------------------------------------------


def section(page: str, anchor: str) -> str:
    """What a fold of an entry page holds, after its summary."""
    start = page.index("</summary>\n", page.index(f'<details class="ref-pli" id="{anchor}"'))
    return page[start + len("</summary>\n"): page.index("</details>", start)]


def test_an_entry_page_lists_the_commits_of_its_file_newest_first(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    commit_all(root, "Première version du référentiel", date="2024-01-15T10:00:00+00:00")
    replace(root, "fiches/fifty-fifty.yaml", OBJECTIVE, OBJECTIVE.replace("habitant", "habitante ou habitant"))
    commit_all(root, "Fifty-fifty : objectif écrit au féminin aussi <script>alert(1)</script>",
               date="2025-03-02T10:00:00+00:00")
    replace(root, "fiches/visite-prealable.yaml", "une journée", "deux jours")
    commit_all(root, "Visite : deux jours", date="2025-04-01T10:00:00+00:00")
    shown = section(pages(root).entry(checked(root).entries["fiche"]["fifty-fifty"]), "modifications")
    assert shown.strip() == (
        '- <time datetime="2025-03-02">2 mars 2025</time> · Fifty-fifty\u00a0: objectif écrit au féminin aussi '
        "&lt;script&gt;alert(1)&lt;/script&gt;\n"
        '- <time datetime="2024-01-15">15 janvier 2024</time> · Première version de cette entrée')


def test_only_the_latest_commits_are_listed_and_the_others_are_counted(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    commit_all(root, "Version 0")
    for number in range(1, HISTORY_SHOWN + 2):
        replace(root, "fiches/fifty-fifty.yaml", "quelques jours", f"quelques jours ({number})")
        commit_all(root, f"Version {number}", date=f"2026-02-{number:02}T10:00:00+00:00")
        replace(root, "fiches/fifty-fifty.yaml", f"quelques jours ({number})", "quelques jours")
    shown = section(pages(root).entry(checked(root).entries["fiche"]["fifty-fifty"]), "modifications")
    assert shown.count("\n- <time") == HISTORY_SHOWN
    assert "· Version 11\n" in shown and "· Version 2\n" in shown and "· Version 1\n" not in shown
    assert "Et 2 modifications plus anciennes, dans\nl'historique du fichier `fiches/fifty-fifty.yaml`." in shown


def test_an_entry_not_yet_committed_says_so(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    shown = section(pages(root).entry(checked(root).entries["fiche"]["fifty-fifty"]), "modifications")
    assert "son fichier `fiches/fifty-fifty.yaml` n'a pas encore été enregistré dans le dépôt" in shown


def test_the_history_of_every_file_is_read_by_one_git_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = mini_referentiel(tmp_path)
    commit_all(root, "Première version")
    referentiel = checked(root)
    calls = []
    real_run = subprocess.run

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", counted)
    rendered = Pages(referentiel, History(root)).all("# Accueil\n")
    assert all(rendered[entry_page(kind, ident)].count("· Première version de cette entrée\n") == 1
               for kind, ident in referentiel.paths)
    assert len(calls) == 1


def test_an_entry_merged_into_another_is_listed_as_removed_with_the_entry_it_leads_to(tmp_path: Path):
    root = first_edition(tmp_path)
    (root / "fiches/visite-prealable.yaml").unlink()
    replace(root, "fiches/fifty-fifty.yaml", "fiches_liees:\n  - visite-prealable\n",
            "anciens_ids: [visite-prealable]\n")
    replace(root, "lessons/recit-partage.yaml", "  - visite-prealable", "  - fifty-fifty")
    own_publication(root, edition="2026.2")
    page = shown(changelog.page(pages(root)))
    assert ("## Entrées retirées {#retirees}\n\n"
            "- Fiche : La visite préalable du territoire (`visite-prealable`) : son contenu est repris dans "
            "[Le fifty-fifty, l'outil de coproduction entre la mairie et les habitants](fiches/fifty-fifty.md),\n"
            "  où mène désormais son adresse\n") in page
    commit_all(root, "Visite préalable reprise dans le fifty-fifty", tag="2026.2")
    assert "### Retiré\n\n- Fiche « La visite préalable du territoire » (`visite-prealable`) : contenu repris dans " \
           "`fifty-fifty`\n" in run(root, "changements", "2026.1", "2026.2").stdout


def test_a_commit_listed_in_git_blame_ignore_revs_changes_neither_the_dates_nor_the_history(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    commit_all(root, "Première version", date="2024-01-15T10:00:00+00:00")
    replace(root, "fiches/fifty-fifty.yaml", "quelques jours", "quelques  jours")
    commit_all(root, "Mise en forme de toutes les entrées", date="2025-06-01T10:00:00+00:00")
    revision = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    (root / ".git-blame-ignore-revs").write_text(f"# mise en forme (build.py fmt)\n{revision}\n", encoding="utf-8")
    page = pages(root).entry(checked(root).entries["fiche"]["fifty-fifty"])
    assert "mis_a_jour: 15 janvier 2024" in page
    assert "Mise en forme" not in section(page, "modifications")


def test_a_file_created_by_an_ignored_commit_keeps_that_commit(tmp_path: Path):
    root = mini_referentiel(tmp_path)
    commit_all(root, "Première version", date="2024-01-15T10:00:00+00:00")
    revision = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    (root / ".git-blame-ignore-revs").write_text(revision + "\n", encoding="utf-8")
    assert History(root).dates("fiches/fifty-fifty.yaml").updated.isoformat() == "2024-01-15"

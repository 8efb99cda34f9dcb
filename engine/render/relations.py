"""Every link between entries, in both directions.

Contributors write each link once, on one side (a lesson lists its fiches, a fiche its lessons,
a lesson its observations in territories). The pages show each link on both sides: what is
computed here is the union of the links written on either side, and the backlinks.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.check.referentiel import Referentiel
from engine.model.annotations import markers, values_at
from engine.model.format import (
    INVERSE_KINSHIP,
    CodeSourceElement,
    Enseignement,
    Entry,
    Example,
    Fiche,
    Observation,
    Parcours,
    ReaderQuestion,
    Ref,
    Status,
    Territoire,
)
from engine.model.french import sort_key


@dataclass
class Relations:
    lessons_of_fiche: dict[str, list[Enseignement]] = field(default_factory=dict)
    fiches_of_lesson: dict[str, list[Fiche]] = field(default_factory=dict)
    fiches_of_fiche: dict[str, list[Fiche]] = field(default_factory=dict)
    lessons_of_lesson: dict[str, list[Enseignement]] = field(default_factory=dict)
    kin_of_lesson: dict[str, list[tuple[Enseignement, str, str | None]]] = field(default_factory=dict)
    """Close lessons of other families, each with its link seen from this lesson (`lien`) and `en_quoi`."""
    observations_in: dict[str, list[tuple[Enseignement, Observation]]] = field(default_factory=dict)
    """Lessons observed in a territory, with the observation."""
    examples_in: dict[str, list[tuple[Fiche, list[Example]]]] = field(default_factory=dict)
    """Fiches practised in a territory, with their examples there."""
    code_source_of: dict[tuple[str, str], list[CodeSourceElement]] = field(default_factory=dict)
    """Elements of the code source that point to an entry, by (kind, id)."""
    citing: dict[str, list[Entry]] = field(default_factory=dict)
    """Entries that cite a document of the bibliography, by document id."""
    evidence: dict[str, int] = field(default_factory=dict)
    """For each lesson, the number of territories where its status confirms it (a column shared by two
    territories in the source counts once)."""
    evidence_by_status: dict[str, list[tuple[Status, int]]] = field(default_factory=dict)
    """For each lesson, how many territories have each status, in the order of the vocabulary, each kind
    apart as the source gives it (shared columns counted once); statuses met nowhere are left out."""
    parcours_of: dict[tuple[str, str], list[Parcours]] = field(default_factory=dict)
    """Training paths that have a step on an entry, by (kind, id)."""
    questions_of: dict[tuple[str, str], list[ReaderQuestion]] = field(default_factory=dict)
    """The readers' questions (`data/reperes.yaml`) that answer with an entry, by (kind, id)."""


def _by_title(entries: Iterable[Entry]) -> list:
    """Entries without repeats, sorted by title."""
    unique = {(entry.kind, entry.id): entry for entry in entries}
    return sorted(unique.values(), key=lambda entry: sort_key(entry.title))


def counted_observations(lesson: Enseignement) -> list[Observation]:
    """The observations of a lesson as the source counts them: an observation that shares its column of
    the source with another territory observed for the lesson (`meme_colonne_que`) is counted with it."""
    observed = {observation.territoire for observation in lesson.observations}
    return [observation for observation in lesson.observations if observation.meme_colonne_que not in observed]


def relate(referentiel: Referentiel) -> Relations:
    lessons = referentiel.by_id(Enseignement)
    fiches = referentiel.by_id(Fiche)
    territories = referentiel.by_id(Territoire)

    fiches_of_lesson: dict[str, list[Fiche]] = defaultdict(list)
    lessons_of_fiche: dict[str, list[Enseignement]] = defaultdict(list)
    fiches_of_fiche: dict[str, list[Fiche]] = defaultdict(list)
    lessons_of_lesson: dict[str, list[Enseignement]] = defaultdict(list)
    for lesson in lessons.values():
        for ident in lesson.fiches_liees:
            fiches_of_lesson[lesson.id].append(fiches[ident])
            lessons_of_fiche[ident].append(lesson)
        for ident in lesson.enseignements_lies:
            if ident != lesson.id:
                lessons_of_lesson[lesson.id].append(lessons[ident])
                lessons_of_lesson[ident].append(lesson)
    kin: dict[str, dict[str, tuple[Enseignement, str, str | None]]] = defaultdict(dict)
    for lesson in lessons.values():
        for link in lesson.enseignements_proches:
            if link.enseignement != lesson.id:
                kin[lesson.id].setdefault(link.enseignement, (lessons[link.enseignement], link.lien, link.en_quoi))
                kin[link.enseignement].setdefault(lesson.id, (lesson, INVERSE_KINSHIP[link.lien], link.en_quoi))
    for fiche in fiches.values():
        for ident in fiche.enseignements_lies:
            lessons_of_fiche[fiche.id].append(lessons[ident])
            fiches_of_lesson[ident].append(fiche)
        for ident in fiche.fiches_liees:
            if ident != fiche.id:
                fiches_of_fiche[fiche.id].append(fiches[ident])
                fiches_of_fiche[ident].append(fiche)

    relations = Relations()
    relations.fiches_of_lesson = {ident: _by_title(fiches_of_lesson[ident]) for ident in lessons}
    relations.lessons_of_fiche = {ident: _by_title(lessons_of_fiche[ident]) for ident in fiches}
    relations.fiches_of_fiche = {ident: _by_title(fiches_of_fiche[ident]) for ident in fiches}
    relations.lessons_of_lesson = {ident: _by_title(lessons_of_lesson[ident]) for ident in lessons}
    relations.kin_of_lesson = {
        ident: sorted(kin[ident].values(), key=lambda pair: sort_key(pair[0].title)) for ident in lessons
    }

    statuses = referentiel.vocabularies.statuts
    observations: dict[str, list[tuple[Enseignement, Observation]]] = defaultdict(list)
    for lesson in referentiel.of_model(Enseignement):
        for observation in lesson.observations:
            observations[observation.territoire].append((lesson, observation))
        counted = counted_observations(lesson)
        counts = [(status, sum(observation.statut == status.id for observation in counted)) for status in statuses]
        relations.evidence_by_status[lesson.id] = [(status, count) for status, count in counts if count]
        relations.evidence[lesson.id] = sum(count for status, count in counts if status.confirme)
    examples: dict[str, list[tuple[Fiche, list[Example]]]] = defaultdict(list)
    for fiche in referentiel.of_model(Fiche):
        here: dict[str, list[Example]] = defaultdict(list)
        for example in fiche.exemples:
            here[example.territoire].append(example)
        for territory, found in here.items():
            examples[territory].append((fiche, found))
    for ident in territories:
        relations.observations_in[ident] = observations[ident]
        relations.examples_in[ident] = examples[ident]

    citing: dict[str, list[Entry]] = defaultdict(list)
    for kind in referentiel.entries:
        for entry in referentiel.entries[kind].values():
            data = entry.model_dump()
            for pattern, marker in markers(type(entry)):
                if isinstance(marker, Ref) and marker.kind == "document":
                    for _, document in values_at(data, pattern):
                        citing[document].append(entry)
    relations.citing = {document.id: _by_title(citing[document.id]) for document in referentiel.bibliography.documents}

    parcours_of: dict[tuple[str, str], list[Parcours]] = defaultdict(list)
    for parcours in referentiel.of_model(Parcours):
        for stage in parcours.etapes:
            parcours_of[stage.entry].append(parcours)
    relations.parcours_of = {key: _by_title(found) for key, found in parcours_of.items()}

    if referentiel.landmarks:
        for question in referentiel.landmarks.questions:
            for kind, idents in (("enseignement", question.enseignements), ("fiche", question.fiches)):
                for ident in idents:
                    relations.questions_of.setdefault((kind, ident), []).append(question)
    code_source = referentiel.code_source
    if code_source:
        for element in code_source.elements():
            for kind, idents in (("enseignement", element.enseignements), ("fiche", element.fiches)):
                for ident in idents:
                    relations.code_source_of.setdefault((kind, ident), []).append(element)
    return relations

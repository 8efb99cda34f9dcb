"""Pictures drawn from the data at build time, as inline SVG: no image file, no third-party request.

Each picture has a title and a description, its words are real text (read aloud, found by the
browser's search, selectable) and each of its elements is a link reachable with the keyboard. The
lists of the page stay below it, for readers of text, for print and where SVG is not shown. Links are
`xlink:href`: Material's instant navigation rewrites every `[href]` by assignment, which an SVG link refuses.
"""

import html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from engine.model.format import CodeSource, CodeSourceElement, FranceOutline, Project, Territoire
from engine.render.france_map import inside, land, limits, place
from engine.render.typography import text as french_text

HOUSE_WIDTH = 640
_GAP = 16
_MARGIN = 20


def _escape(value: str) -> str:
    return html.escape(french_text(value), quote=True)


def _lines(value: str, width: int) -> list[str]:
    return textwrap.wrap(value, width=width, break_long_words=False) or [""]


def _text(lines: Sequence[str], x: float, top: float, size: int, css: str) -> str:
    """Lines of real text centred on `x`, the first one's baseline below `top`."""
    spans = "".join(f'<tspan x="{x:.0f}" dy="{size * 1.25 if index else size:.1f}">{_escape(line)}</tspan>'
                    for index, line in enumerate(lines))
    return f'<text class="{css}" x="{x:.0f}" y="{top:.0f}" font-size="{size}" text-anchor="middle">{spans}</text>'


def _block(element: CodeSourceElement, x: float, y: float, width: float, height: float, size: int, chars: int,
           css: str) -> str:
    """An element of the house: a shape with its name, linking to its section of the page."""
    lines = _lines(element.titre, chars)
    top = y + (height - size * 1.25 * len(lines)) / 2
    return (f'<a xlink:href="#{element.id}" class="ref-dessin__lien">'
            f'<rect class="{css}" x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="{height:.0f}" rx="6"/>'
            f'{_text(lines, x + width / 2, top, size, css + "-texte")}</a>')


def house(code_source: CodeSource) -> Markup:
    """The « code source » as the house it is described as: the pillars standing on the socle, under a roof."""
    pillars, socle = code_source.piliers, code_source.socle
    inner = HOUSE_WIDTH - 2 * _MARGIN
    pillar_width = (inner - _GAP * (len(pillars) - 1)) / len(pillars)
    pillar_chars = max(8, int(pillar_width / 9.5))
    pillar_lines = max(len(_lines(pillar.titre, pillar_chars)) for pillar in pillars)
    pillar_height = max(160, pillar_lines * 21 + 40)
    roof, top = 90, 100
    per_row = min(3, len(socle))
    rows = [socle[index:index + per_row] for index in range(0, len(socle), per_row)]
    block_width = (inner - 2 * _GAP - _GAP * (per_row - 1)) / per_row
    block_chars = max(8, int(block_width / 8.5))
    block_lines = max(len(_lines(element.titre, block_chars)) for element in socle)
    block_height = block_lines * 19 + 24
    socle_top = top + pillar_height + _GAP
    socle_height = len(rows) * (block_height + _GAP) + _GAP + 24
    height = socle_top + socle_height + 4
    points = f"{_MARGIN},{top - 8} {HOUSE_WIDTH / 2:.0f},{top - roof} {HOUSE_WIDTH - _MARGIN},{top - 8}"
    parts = [f'<polygon class="ref-dessin__toit" points="{points}"/>']
    for index, pillar in enumerate(pillars):
        x = _MARGIN + index * (pillar_width + _GAP)
        parts.append(_block(pillar, x, top, pillar_width, pillar_height, 16, pillar_chars, "ref-dessin__pilier"))
    parts.append(f'<rect class="ref-dessin__socle" x="{_MARGIN}" y="{socle_top:.0f}" width="{inner}" '
                 f'height="{socle_height:.0f}" rx="4"/>')
    parts.append(_text(["Le socle"], HOUSE_WIDTH / 2, socle_top + 4, 15, "ref-dessin__socle-titre"))
    for row_index, row in enumerate(rows):
        y = socle_top + 24 + _GAP + row_index * (block_height + _GAP)
        row_width = len(row) * block_width + (len(row) - 1) * _GAP
        left = (HOUSE_WIDTH - row_width) / 2
        for index, element in enumerate(row):
            parts.append(_block(element, left + index * (block_width + _GAP), y, block_width, block_height, 15,
                                block_chars, "ref-dessin__pierre"))
    names = ", ".join(pillar.titre for pillar in pillars)
    stones = ", ".join(element.titre for element in socle)
    description = (f"Une maison. {len(pillars)} piliers : {names}. Ils reposent sur un socle de "
                   f"{len(socle)} éléments : {stones}. Chaque élément mène à sa description, plus bas.")
    return Markup(
        f'<figure class="ref-dessin ref-dessin--maison">'
        f'<svg viewBox="0 0 {HOUSE_WIDTH} {height:.0f}" role="group" aria-labelledby="maison-titre" '
        f'aria-describedby="maison-description" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<title id="maison-titre">{_escape(code_source.titre)}</title>'
        f'<desc id="maison-description">{_escape(description)}</desc>'
        + "".join(parts) +
        '</svg><figcaption>Les piliers reposent sur le socle ; chaque élément mène à sa description '
        'et aux enseignements et fiches qui le mettent en œuvre.</figcaption></figure>')


TIMELINE_WIDTH = 640
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _years(text: str) -> list[int]:
    return [int(year) for year in _YEAR.findall(text)]


def _project_span(project: Project, last: int) -> tuple[int, int] | None:
    """The first and last years of a project, from its period (« 2010-2014 », « depuis 2000 »)."""
    years = _years(project.periode or "")
    if not years:
        return None
    ongoing = "depuis" in (project.periode or "").lower() or (project.periode or "").rstrip().endswith("-")
    return years[0], max(years[-1], last) if ongoing else years[-1]


def timeline(territory: Territoire) -> Markup | None:
    """A territory's story drawn on a line of years: its projects as bars, each a link to its section of the
    page, and its dated events as marks, detailed in the chronology below. None without enough dates."""
    event_years = [int(event.date[:4]) for event in territory.chronologie]
    last = max([*event_years, *(year for project in territory.projets for year in _years(project.periode or ""))],
               default=0)
    spans = [(index, project, span) for index, project in enumerate(territory.projets, 1)
             if (span := _project_span(project, last))]
    first = min([*event_years, *(span[0] for _, _, span in spans)], default=0)
    if not first or last - first < 2:
        return None
    start, end = first - first % 10, last + 1
    left, right = _MARGIN, TIMELINE_WIDTH - _MARGIN

    def x(year: float) -> float:
        return left + (year - start) / (end - start) * (right - left)

    parts, y = [], 10
    for index, project, (begin, finish) in spans:
        x0, x1 = x(begin), x(finish + 1)
        label = _lines(project.nom, 60)[0] + ("…" if len(project.nom) > 60 else "")
        anchor, text_x = ("start", x0) if x0 < TIMELINE_WIDTH / 2 else ("end", x1)
        period = f"{project.periode} : " if project.periode else ""
        parts.append(f'<a xlink:href="#projet-{index}" class="ref-dessin__lien"><title>{_escape(period + project.nom)}</title>'
                     f'<text class="ref-dessin__projet-texte" x="{text_x:.0f}" y="{y + 13}" font-size="14" '
                     f'text-anchor="{anchor}">{_escape(label)}</text>'
                     f'<rect class="ref-dessin__projet" x="{x0:.0f}" y="{y + 18}" width="{max(x1 - x0, 6):.0f}" '
                     f'height="10" rx="3"/></a>')
        y += 38
    axis = y + 24
    parts.append(f'<line class="ref-dessin__axe" x1="{left}" y1="{axis}" x2="{right}" y2="{axis}"/>')
    step = 10 if end - start <= 60 else 20
    for year in range(start, end + 1, step):
        parts.append(f'<line class="ref-dessin__axe" x1="{x(year):.0f}" y1="{axis - 4}" x2="{x(year):.0f}" '
                     f'y2="{axis + 4}"/><text class="ref-dessin__annee" x="{x(year):.0f}" y="{axis + 22}" '
                     f'font-size="14" text-anchor="middle">{year}</text>')
    for event, year in zip(territory.chronologie, event_years):
        when = f"{'vers ' if event.environ else ''}{event.date}"
        parts.append(f'<circle class="ref-dessin__evenement" cx="{x(year + 0.5):.0f}" cy="{axis}" r="5">'
                     f'<title>{_escape(when + " : " + event.evenement)}</title></circle>')
    height = axis + 32
    description = (f"De {first} à {last} : {len(spans)} projets, dessinés comme des barres sur la ligne des années, "
                   f"chacun un lien vers sa description, et {len(event_years)} dates clés, marquées sur la ligne, "
                   "détaillées dans la chronologie ci-dessous.")
    return Markup(
        f'<figure class="ref-dessin ref-dessin--frise">'
        f'<svg viewBox="0 0 {TIMELINE_WIDTH} {height}" role="group" aria-labelledby="frise-titre" '
        f'aria-describedby="frise-description" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<title id="frise-titre">{_escape("Frise : " + territory.nom)}</title>'
        f'<desc id="frise-description">{_escape(description)}</desc>' + "".join(parts) +
        '</svg><figcaption>Les projets (barres) et les dates clés (points) ; chaque projet mène à sa description, '
        'la chronologie complète suit.</figcaption></figure>')


@dataclass(frozen=True)
class Place:
    """A territory on the map: where its name goes, in percent of the map's width and height, and on which
    side of its point (`droite` or `gauche`)."""

    territory: Territoire
    left: float
    top: float
    side: str

    @property
    def label(self) -> str:
        return label(self.territory)

    @property
    def style(self) -> Markup:
        """The place as CSS custom properties, numbers only (a « % » would get a no-break space before it
        from the French typography of the page, which CSS refuses): the style sheet makes them percents."""
        return Markup(f"--x: {self.left:.2f}; --y: {self.top:.2f}")


@dataclass(frozen=True)
class TerritoryMap:
    """The map of the territories: the drawing (the land, the limits of the regions, a point per territory)
    and, over it, the places of the names, which the template writes as links (Markdown links: MkDocs gives
    them the right address online and offline, which it does not do inside an SVG)."""

    svg: Markup
    places: list[Place]


_LABEL_HEIGHT, _CHAR_WIDTH, _POINT_GAP = 15.0, 6.6, 8.0
"""The size of a name on the map 358 px wide of a phone 390 px wide (names in 12 px bold), in px: to keep names
apart. On narrower screens the names shrink with the map (their size follows the screen's width)."""
_NARROWEST = 358
_OVERHANG = 12
"""How far a name may go past the map's edge, into the page's margin (16 px on a phone): still on the screen."""


def label(territory: Territoire) -> str:
    """The name on the map: without « Communauté de communes du… », which the list below gives."""
    return _KIND_OF_GROUP.sub("", territory.nom) or territory.nom


_KIND_OF_GROUP = re.compile(r"^Communauté (?:de communes|d'agglomération|urbaine)(?: du| des| de la| de l'| d'| de)? ?")


Box = tuple[float, float, float, float]


def _name_box(x: float, y: float, width: float, side: str, shift: float) -> Box:
    """Where a name of that width goes, beside the point (x, y) and `shift` below it: left, top, right, bottom."""
    left = x if side == "droite" else x - width
    return left, y + shift - _LABEL_HEIGHT / 2, left + width, y + shift + _LABEL_HEIGHT / 2


def _cost(box: Box, shift: float, obstacles: list[Box]) -> float:
    """How much a name would cover of the other names and of the points, then how far out of the map, then how
    far from its point: the place that costs least wins."""
    covered = sum(max(0.0, min(box[2], other[2]) - max(box[0], other[0]))
                  * max(0.0, min(box[3], other[3]) - max(box[1], other[1])) for other in obstacles)
    outside = max(0.0, -box[0] - _OVERHANG) + max(0.0, box[2] - _NARROWEST - _OVERHANG)
    return covered * 100 + outside * 1000 + abs(shift) * 20


def territory_map(outline: FranceOutline, territories: Sequence[Territoire]) -> TerritoryMap | None:
    """Metropolitan France with its regions and the territories placed by their coordinates; None when none
    has coordinates inside the map. A territory without coordinates is left out (the list gives it)."""
    frame = outline.cadre
    points = [(territory, point) for territory in territories if territory.coordonnees
              and inside(frame, point := place(frame, territory.coordonnees.latitude, territory.coordonnees.longitude))]
    if not points:
        return None
    ratio = _NARROWEST / frame.largeur
    spots = [(x * ratio, y * ratio, len(label(territory)) * _CHAR_WIDTH + _POINT_GAP) for territory, (x, y) in points]
    dots: list[Box] = [(x - 4, y - 4, x + 4, y + 4) for x, y, _ in spots]
    choices = [(side, lines * _LABEL_HEIGHT) for lines in (0, 1, -1, 2, -2) for side in ("droite", "gauche")]
    chosen = [choices[0]] * len(points)
    order = sorted(range(len(points)), key=lambda index: (spots[index][1], spots[index][0]))
    for sweep in range(4):  # each name where it least covers the others as they stand, then again
        for rank, index in enumerate(order):
            x, y, width = spots[index]
            known = order if sweep else order[:rank]  # the first sweep knows only the names placed before
            others = [_name_box(*spots[other], *chosen[other]) for other in known if other != index]
            obstacles = others + dots[:index] + dots[index + 1:]
            chosen[index] = min(choices, key=lambda choice: _cost(
                _name_box(x, y, width, *choice), choice[1], obstacles))
    places, leaders = [], []
    for (territory, (x, y)), (side, shift) in zip(points, chosen):
        places.append(Place(territory, round(100 * x / frame.largeur, 2),
                            round(100 * (y + shift / ratio) / frame.hauteur, 2), side))
        if shift:  # a name moved up or down: a line from its point to it
            leaders.append(f'<line class="ref-territoires-carte__trait" x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" '
                           f'y2="{y + shift / ratio:.1f}"/>')
    circles = "".join(f'<circle class="ref-territoires-carte__point" cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
                      for _, (x, y) in points)
    names = ", ".join(f"{territory.nom} ({territory.departement})" for territory, _ in points)
    placed = "1 territoire y est placé" if len(points) == 1 else f"{len(points)} territoires y sont placés"
    description = (f"La France métropolitaine et les limites de ses régions. {placed} par leurs coordonnées : "
                   f"{names}. Chaque nom est un lien vers la page du territoire ; "
                   "la liste qui suit les donne tous, avec leur histoire en une phrase.")
    svg = Markup(
        f'<svg viewBox="0 0 {frame.largeur} {frame.hauteur}" role="img" aria-labelledby="carte-titre" '
        f'aria-describedby="carte-description" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="carte-titre">Carte des territoires</title>'
        f'<desc id="carte-description">{_escape(description)}</desc>'
        f'<path class="ref-territoires-carte__terre" fill-rule="evenodd" d="{land(outline)}"/>'
        f'<path class="ref-territoires-carte__limites" d="{limits(outline)}"/>{"".join(leaders)}{circles}</svg>')
    return TerritoryMap(svg, sorted(places, key=lambda spot: (spot.top, spot.left)))  # keyboard: north to south

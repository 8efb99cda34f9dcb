"""The geometry of the map of the territories: where a longitude and a latitude fall on the outline of France.

The outline (`data/carte-france.yaml`, model `FranceOutline`) is drawn in a Lambert conformal conic
projection, the one of French official maps (parallels 44° and 49° N, centred on 3° E, 46.5° N), on the
sphere: at the size of a page the difference with the ellipsoid is far below a pixel. `tools/carte_france.py`
uses the same functions to write the outline, so that a territory falls where its coordinates say.
"""

import math

from engine.model.format import FranceOutline, MapFrame

_LON0, _LAT0, _LAT1, _LAT2 = (math.radians(value) for value in (3.0, 46.5, 44.0, 49.0))


def _t(latitude: float) -> float:
    return math.tan(math.pi / 4 + latitude / 2)


_N = math.log(math.cos(_LAT1) / math.cos(_LAT2)) / math.log(_t(_LAT2) / _t(_LAT1))
_F = math.cos(_LAT1) * _t(_LAT1) ** _N / _N
_RHO0 = _F / _t(_LAT0) ** _N


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """A point of the sphere (in degrees) in the projection: x towards the east, y towards the north."""
    rho = _F / _t(math.radians(latitude)) ** _N
    theta = _N * (math.radians(longitude) - _LON0)
    return rho * math.sin(theta), _RHO0 - rho * math.cos(theta)


def place(frame: MapFrame, latitude: float, longitude: float) -> tuple[float, float]:
    """Where a point falls on the map, in its units (y downwards, as in SVG)."""
    x, y = project(latitude, longitude)
    return (x - frame.x0) * frame.echelle, (frame.y0 - y) * frame.echelle


def inside(frame: MapFrame, point: tuple[float, float]) -> bool:
    return 0 <= point[0] <= frame.largeur and 0 <= point[1] <= frame.hauteur


def path(trace: str, closed: bool) -> str:
    """The SVG path data of a trace (« x y dx dy… »): a move to its first point, relative lines to the next."""
    numbers = trace.split(" ")
    head = f"M{numbers[0]} {numbers[1]}"
    if len(numbers) == 2:
        return head + ("z" if closed else "")
    rest = " ".join(numbers[2:]).replace(" -", "-")
    return f"{head}l{rest}{'z' if closed else ''}"


def land(outline: FranceOutline) -> str:
    return "".join(path(trace, closed=True) for trace in outline.terre)


def limits(outline: FranceOutline) -> str:
    return "".join(path(trace, closed=False) for trace in outline.limites_regions)

"""Where a check-in was made relative to its place, as a small picture drawn on the
server: the circle of the office geofence (WFO) or of the home radius (WFH, WFA), the
point of the check-in and the distance. Pure; no map tiles, no coordinates in the
output, only positions in the picture relative to its centre.

Someone else's home is private: the head and BKPSDM see how far a WFH or WFA check-in
was from the registered home, not in which direction (with the check-in coordinates
BKPSDM can read in the admin, the direction would give the home away).
"""

import math
from dataclasses import dataclass

from opd.geo import distance_m
from scheduling.roster import WFA, WFH, WFO

from . import rules

SIZE = 160  # the picture is SIZE x SIZE, its centre the place
EDGE = 68  # the farthest a point is drawn from the centre
MIN_RADIUS = 3  # a geofence far smaller than the distance still shows as a dot
METRES_PER_DEGREE = 111_320


@dataclass(frozen=True)
class Picture:
    place: str  # "office" or "home"
    mode: str  # the record's mode
    distance_m: float
    limit_m: float
    inside: bool
    radius_px: float
    x: float
    y: float
    direction_shown: bool

    @property
    def centre(self) -> float:
        return SIZE / 2

    @property
    def size(self) -> int:
        return SIZE


def draw(
    *,
    point: tuple[float, float],
    centre: tuple[float, float],
    limit_m: float,
    place: str,
    mode: str,
    show_direction: bool = True,
) -> Picture:
    """The picture of ``point`` against a circle of ``limit_m`` around ``centre``.

    The scale fits both the circle and the point; the distance is ``opd.geo``'s. The
    direction comes from a flat approximation around the centre (good to a degree at
    these distances); without ``show_direction`` the point is drawn due east.
    """
    away = distance_m(centre[0], centre[1], point[0], point[1])
    north = (point[0] - centre[0]) * METRES_PER_DEGREE
    east = (point[1] - centre[1]) * METRES_PER_DEGREE * math.cos(math.radians(centre[0]))
    length = math.hypot(east, north)
    unit = (east / length, north / length) if show_direction and length > 0 else (1.0, 0.0)
    extent = max(limit_m * 1.25, away * 1.1, 1.0)  # metres at EDGE pixels
    scale = EDGE / extent
    middle = SIZE / 2
    return Picture(
        place=place,
        mode=mode,
        distance_m=away,
        limit_m=limit_m,
        inside=away <= limit_m,
        radius_px=round(max(limit_m * scale, MIN_RADIUS), 1),
        x=round(middle + unit[0] * away * scale, 1),
        y=round(middle - unit[1] * away * scale, 1),
        direction_shown=show_direction,
    )


def check_in_picture(
    record, employee, opd, thresholds: rules.Thresholds, *, own: bool
) -> Picture | None:
    """The picture of a record's check-in: against the office geofence on a WFO day,
    against the registered home on a WFH or WFA day. None without a check-in position
    or without a place to compare with. ``own``: the person is looking at their own
    record (the direction from home is shown only to them)."""
    if record is None or record.in_lat is None or record.in_lon is None:
        return None
    point = (record.in_lat, record.in_lon)
    if record.mode == WFO:
        if opd.office_lat is None or opd.office_lon is None:
            return None
        centre, limit, place = (opd.office_lat, opd.office_lon), opd.geofence_radius_m, "office"
    elif record.mode in (WFH, WFA):
        if employee.home_lat is None or employee.home_lon is None:
            return None
        centre, limit, place = (
            (employee.home_lat, employee.home_lon),
            thresholds.home_radius_m,
            "home",
        )
    else:
        return None
    return draw(
        point=point,
        centre=centre,
        limit_m=float(limit),
        place=place,
        mode=record.mode,
        show_direction=own or place == "office",
    )

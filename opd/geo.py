"""Distances on the earth's surface: the one home of the haversine formula.

Attendance flags (a check-in far from the office or from home) and the ranking of recall
candidates (whoever lives nearest the office first) both use it.
"""

import math

EARTH_RADIUS_M = 6_371_000


def distance_m(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))

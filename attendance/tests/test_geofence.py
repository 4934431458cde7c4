"""The server-drawn picture of where a check-in was made (attendance.geofence)."""

import math
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from attendance import geofence, rules
from opd.geo import distance_m

OFFICE = (-6.2383, 106.9920)


def inside_circle(picture) -> bool:
    c = picture.centre
    return math.hypot(picture.x - c, picture.y - c) <= picture.radius_px


@pytest.mark.parametrize(
    ("point", "inside"),
    [
        (OFFICE, True),
        ((-6.2390, 106.9925), True),  # about 95 m
        ((-6.2400, 106.9920), False),  # about 190 m
        ((-6.4000, 106.8000), False),  # 28 km: the fence is a dot, the point far away
    ],
)
def test_the_point_is_drawn_inside_the_circle_exactly_when_it_is_inside_the_geofence(point, inside):
    picture = geofence.draw(point=point, centre=OFFICE, limit_m=150, place="office", mode="WFO")
    assert picture.inside is inside
    assert inside_circle(picture) is inside
    assert picture.distance_m == pytest.approx(distance_m(*OFFICE, *point))
    assert 0 <= picture.x <= picture.size and 0 <= picture.y <= picture.size


def test_north_is_up_and_east_is_right_unless_the_direction_is_hidden():
    north = geofence.draw(
        point=(-6.2300, 106.9920), centre=OFFICE, limit_m=150, place="office", mode="WFO"
    )
    west = geofence.draw(
        point=(-6.2383, 106.9800), centre=OFFICE, limit_m=150, place="office", mode="WFO"
    )
    hidden = geofence.draw(
        point=(-6.2383, 106.9800),
        centre=OFFICE,
        limit_m=1000,
        place="home",
        mode="WFH",
        show_direction=False,
    )
    c = north.centre
    assert north.y < c and north.x == pytest.approx(c)
    assert west.x < c and west.y == pytest.approx(c)
    assert hidden.x > c and hidden.y == pytest.approx(c)  # drawn due east


def test_the_svg_names_the_distance_and_whether_it_is_inside():
    record = SimpleNamespace(pk=7, in_lat=-6.2400, in_lon=106.9920, mode="WFO")
    opd = SimpleNamespace(office_lat=OFFICE[0], office_lon=OFFICE[1], geofence_radius_m=150)
    picture = geofence.check_in_picture(record, None, opd, rules.Thresholds(), own=False)
    html = render_to_string(
        "attendance/includes/geofence.html",
        {"picture": picture, "distance": "189 m", "limit": "150 m", "picture_id": 7},
    )
    assert '<text class="distance"' in html and ">189 m</text>" in html
    assert "di luar geofence (150 m)" in html and 'data-inside="0"' in html
    assert f'cx="{picture.x}"' in html and f'r="{picture.radius_px}"' in html


def test_no_picture_without_a_position_or_a_place_to_compare_with():
    opd = SimpleNamespace(office_lat=None, office_lon=None, geofence_radius_m=150)
    home = SimpleNamespace(home_lat=None, home_lon=None)
    thresholds = rules.Thresholds()
    no_point = SimpleNamespace(pk=1, in_lat=None, in_lon=None, mode="WFO")
    wfo = SimpleNamespace(pk=1, in_lat=-6.2, in_lon=106.9, mode="WFO")
    wfh = SimpleNamespace(pk=1, in_lat=-6.2, in_lon=106.9, mode="WFH")
    assert geofence.check_in_picture(None, home, opd, thresholds, own=True) is None
    assert geofence.check_in_picture(no_point, home, opd, thresholds, own=True) is None
    assert geofence.check_in_picture(wfo, home, opd, thresholds, own=True) is None
    assert geofence.check_in_picture(wfh, home, opd, thresholds, own=True) is None

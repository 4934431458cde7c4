"""Check-in and check-out that prevent mistakes (issue 11): an early check-out is asked
about first, with its grade; a check-in far outside working hours says so; flags read
neutrally for the person and in detail for the head; the record shows where it was made."""

import re
from datetime import datetime, time

import pytest
import time_machine
from django.urls import reverse

from attendance import rules
from attendance.models import Attendance
from attendance.services import check_in

from .conftest import HOME, OFFICE, TUESDAY, assign

pytestmark = pytest.mark.django_db
URL = reverse("attendance:check-in")
HOURS = (time(7, 30), time(16, 0))  # Tuesday's default working hours


def post(client, action="in", **fields):
    return client.post(URL, {"action": action, **fields})


def at(text):
    return datetime.fromisoformat(text)


def test_early_check_out_without_confirmation_writes_nothing_and_asks_with_the_grade(
    client, login, wfo_asn
):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 02:28:00 +0700", tick=False):
        post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
    with time_machine.travel("2026-12-08 02:28:01 +0700", tick=False):
        asked = post(client, action="out", lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
    body = asked.content.decode()
    assert asked.status_code == 200
    assert 'id="confirm-early"' in body and "Pulang lebih awal?" in body
    assert "Jam kerja berakhir pukul 16:00 WIB" in body
    assert "Pulang sekarang tercatat PSW4, 811 menit lebih awal" in body
    assert "Ya, pulang sekarang" in body and 'name="confirm" value="1"' in body
    # The position sent with the first tap is carried into the confirming form.
    assert f'name="lat" value="{OFFICE[0]}"' in body
    record = Attendance.objects.get()
    assert (record.check_out_at, record.psw_code, record.early_minutes) == (None, "", 0)


def test_early_check_out_with_confirmation_is_recorded_with_its_psw_grade(client, login, wfo_asn):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 02:28:00 +0700", tick=False):
        post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
    with time_machine.travel("2026-12-08 02:28:01 +0700", tick=False):
        done = post(client, action="out", lat=OFFICE[0], lon=OFFICE[1], accuracy=10, confirm="1")
        page = client.get(URL).content.decode()
    assert done.status_code == 302
    record = Attendance.objects.get()
    assert record.check_out_at is not None
    assert (record.psw_code, record.early_minutes) == ("PSW4", 811)
    assert "Presensi pulang tercatat pukul 02:28 WIB: PSW4, 811 menit lebih awal." in page


@pytest.mark.parametrize(
    ("moment", "asked", "code"),
    [
        ("2026-12-08 15:29:00 +0700", True, "PSW2"),  # 31 minutes early
        ("2026-12-08 15:29:59 +0700", False, "PSW1"),  # 30 whole minutes: not asked
        ("2026-12-08 15:30:00 +0700", False, "PSW1"),
        ("2026-12-08 16:05:00 +0700", False, ""),  # after the end
    ],
)
def test_only_a_check_out_more_than_30_minutes_early_is_asked_about(
    client, login, wfo_asn, moment, asked, code
):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 07:20 +0700", tick=False):
        post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
    with time_machine.travel(moment, tick=False):
        response = post(client, action="out", lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
        assert (response.status_code, Attendance.objects.get().check_out_at is None) == (
            (200, True) if asked else (302, False)
        )
        if asked:
            assert (
                f"Pulang sekarang tercatat {code}, 31 menit lebih awal" in response.content.decode()
            )
            post(client, action="out", lat=OFFICE[0], lon=OFFICE[1], accuracy=10, confirm="1")
    assert Attendance.objects.get().psw_code == code


def test_the_page_says_before_the_tap_that_a_check_out_now_is_early(client, login, wfo_asn):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 07:20 +0700", tick=False):
        post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
    with time_machine.travel("2026-12-08 11:00 +0700", tick=False):
        early = client.get(URL).content.decode()
    with time_machine.travel("2026-12-08 15:45 +0700", tick=False):
        nearly = client.get(URL).content.decode()
    assert 'id="early-preview"' in early
    assert "Pulang sekarang tercatat PSW4, 300 menit lebih awal" in early
    assert 'id="early-preview"' not in nearly


def test_wfh_confirmation_keeps_the_daily_report(client, login, wfh_asn):
    login(wfh_asn.user)
    with time_machine.travel("2026-12-08 07:20 +0700", tick=False):
        post(client, lat=HOME[0], lon=HOME[1], accuracy=10)
    with time_machine.travel("2026-12-08 13:00 +0700", tick=False):
        fields = {"lat": HOME[0], "lon": HOME[1], "accuracy": 10, "report": "Menyusun SOP"}
        asked = post(client, action="out", **fields).content.decode()
        assert "Menyusun SOP</textarea>" in asked and "PSW4, 180 menit lebih awal" in asked
        assert post(client, action="out", confirm="1", **fields).status_code == 302
    record = Attendance.objects.get()
    assert (record.report, record.psw_code) == ("Menyusun SOP", "PSW4")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-12-08 02:28 +0700", rules.OutOfHours(True, 302)),
        ("2026-12-08 05:29 +0700", rules.OutOfHours(True, 121)),
        ("2026-12-08 05:30 +0700", None),  # exactly two hours before: fine
        ("2026-12-08 12:00 +0700", None),
        ("2026-12-08 16:00:30 +0700", None),
        ("2026-12-08 17:01 +0700", rules.OutOfHours(False, 61)),
    ],
)
def test_out_of_hours_is_more_than_two_hours_before_the_start_or_after_the_end(moment, expected):
    local = datetime.fromisoformat(moment).replace(tzinfo=None)
    assert rules.out_of_hours(local, HOURS) == expected
    assert rules.out_of_hours(local, None) is None


def test_a_check_in_far_before_working_hours_says_so_before_and_after_the_tap(
    client, login, wfo_asn
):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 02:28 +0700", tick=False):
        before = client.get(URL).content.decode()
        response = post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
        after = client.get(URL).content.decode()
    remark = "Sekarang 5 jam 2 menit sebelum jam kerja mulai pukul 07:30 WIB."
    assert 'id="out-of-hours"' in before and remark in before
    # Recorded (never refused), and the result message repeats the remark.
    assert response.status_code == 302 and Attendance.objects.get().tl_code == ""
    assert f"Presensi masuk tercatat pukul 02:28 WIB. {remark}" in after


def test_a_check_in_after_working_hours_says_it_is_recorded_late(client, login, wfo_asn):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 18:00 +0700", tick=False):
        before = client.get(URL).content.decode()
        post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
        after = client.get(URL).content.decode()
    remark = "Sekarang 2 jam setelah jam kerja berakhir pukul 16:00 WIB"
    assert remark in before and remark in after
    assert Attendance.objects.get().tl_code == "TL4"


def test_a_check_in_in_working_hours_gets_no_remark(client, login, wfo_asn):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 07:10 +0700", tick=False):
        before = client.get(URL).content.decode()
        post(client, lat=OFFICE[0], lon=OFFICE[1], accuracy=10)
        after = client.get(URL).content.decode()
    assert 'id="out-of-hours"' not in before and "jam kerja mulai pukul" not in after


@time_machine.travel("2026-12-08 07:12 +0700", tick=False)
def test_the_page_shows_the_persons_name_and_nip(client, login, wfo_asn):
    body = login(wfo_asn.user).get(URL).content.decode()
    person = re.search(r'<p class="mb-0" id="person">(.*?)</p>', body, re.S).group(1)
    assert "Dewi Lestari" in person and f"NIP {wfo_asn.nip}" in person


@time_machine.travel("2026-12-08 07:12 +0700", tick=False)
def test_flags_read_neutrally_for_the_person_and_in_detail_for_the_head(
    client, login, opd, wfh_asn, head
):
    from opd.tests.factories import EmployeeFactory

    other = EmployeeFactory(opd=opd, home_lat=HOME[0], home_lon=HOME[1])
    assign(other, TUESDAY, "WFH")
    for person in (other, wfh_asn):  # the same point, with a 0 m accuracy
        check_in(
            employee=person, now=at("2026-12-08T07:10+07:00"), lat=HOME[0], lon=HOME[1], accuracy=0
        )
    own = login(wfh_asn.user).get(URL).content.decode()
    month = client.get(reverse("attendance:mine"), {"bulan": "2026-12"}).content.decode()
    for page in (own, month):
        assert "perlu ditinjau: ponsel melaporkan akurasi lokasi 0 m" in page
        assert "perlu ditinjau: titik lokasi sama persis dengan presensi pegawai lain" in page
        assert "palsu" not in page
    day = login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"]))
    detail = day.content.decode()
    assert "akurasi lokasi 0 m, tidak wajar (pola aplikasi lokasi palsu)" in detail
    assert "(pola lokasi palsu)" in detail and "perlu ditinjau" not in detail


def test_the_person_sees_where_they_checked_in_against_the_office_geofence(client, login, wfo_asn):
    login(wfo_asn.user)
    with time_machine.travel("2026-12-08 07:12 +0700", tick=False):
        post(client, lat=-6.2500, lon=106.9920, accuracy=10)  # 1.3 km south of the office
        body = client.get(URL).content.decode()
    figure = re.search(r'<figure class="geofence.*?</figure>', body, re.S).group(0)
    assert "<svg" in figure and 'data-inside="0"' in figure
    assert "Presensi masuk 1,3 km dari kantor: di luar geofence (150 m)." in figure
    assert ">1,3 km</text>" in figure
    assert "-6.25" not in figure and "106.99" not in figure  # no coordinates, only pixels


def test_the_head_sees_the_distance_from_home_but_not_its_direction_or_coordinates(
    client, login, wfh_asn, head
):
    far = (-6.2600, 107.0300)  # 2.2 km east of home: flagged
    check_in(employee=wfh_asn, now=at("2026-12-08T07:10+07:00"), lat=far[0], lon=far[1], accuracy=8)
    with time_machine.travel("2026-12-08 08:00 +0700", tick=False):
        own = login(wfh_asn.user).get(URL).content.decode()
        body = login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"]))
    body = body.content.decode()
    evidence = re.search(
        r'<details class="small text-body-secondary evidence">.*?</details>', body, re.S
    )
    figure = evidence.group(0)
    assert "Presensi masuk 2,2 km dari rumah terdaftar: di luar batas 1,0 km." in figure
    assert "Hanya jarak yang ditampilkan, bukan arah dari rumah." in figure
    assert "Hanya jarak yang ditampilkan" not in own and "2,2 km dari rumah terdaftar" in own
    for text in (body, own):
        assert str(HOME[0]) not in text and str(HOME[1]) not in text


@time_machine.travel("2026-12-08 08:05 +0700", tick=False)
def test_the_heads_day_page_draws_the_pictures_in_a_constant_number_of_queries(
    client, login, opd, head, django_assert_num_queries
):
    from opd.tests.factories import EmployeeFactory

    login(head.user)
    url = reverse("attendance:opd-today", args=["DISKOMINFO"])
    client.get(url)  # warm the configuration cache
    drawn = 0
    for size in (2, 12):
        while drawn < size:
            person = EmployeeFactory(opd=opd, home_lat=HOME[0], home_lon=HOME[1])
            mode = "WFO" if drawn % 2 else "WFH"
            assign(person, TUESDAY, mode)
            # Both flagged: 1.3 km from the office, 2.2 km from home.
            point = (-6.2500, 106.9920) if mode == "WFO" else (-6.2600, 107.0300)
            check_in(
                employee=person,
                now=at("2026-12-08T07:25+07:00"),
                lat=point[0],
                lon=point[1],
                accuracy=9,
            )
            drawn += 1
        # as pinned in test_pages.test_list_pages_run_a_constant_number_of_queries
        with django_assert_num_queries(11):
            body = client.get(url).content.decode()
        assert body.count('<figure class="geofence') == size


@pytest.mark.parametrize(
    "flag",
    [
        {"code": rules.NO_LOCATION, "args": {}},
        {"code": rules.NO_LOCATION, "args": {"at": "out"}},
        {"code": rules.OUTSIDE_OFFICE, "args": {"distance_m": 1300, "limit_m": 150}},
        {"code": rules.FAR_FROM_HOME, "args": {"distance_m": 2200, "limit_m": 1000}},
        {"code": rules.POOR_ACCURACY, "args": {"accuracy_m": 500, "limit_m": 100}},
        {"code": rules.ZERO_ACCURACY, "args": {}},
        {"code": rules.SHARED_COORDINATES, "args": {"others": 2}},
        {"code": rules.NO_REFERENCE, "args": {"place": "home"}},
        {"code": rules.NO_REFERENCE, "args": {"place": "office"}},
        {"code": rules.CHECKOUT_FAR, "args": {"distance_m": 3000, "limit_m": 2000}},
    ],
)
def test_every_flag_has_a_neutral_wording_for_the_person(flag):
    from attendance.texts import flag_text, flag_text_for_person

    neutral = flag_text_for_person(flag)
    assert neutral.startswith("perlu ditinjau: ")
    assert "palsu" not in neutral and "tidak wajar" not in neutral
    assert neutral != flag_text(flag) and str(flag["code"]) not in neutral

"""The "Done when" of issue 12: the attendance app pulls next week's approved schedule
with a scoped key, pushes leave (first with one bad item: nothing written, the error
names it; then the good three), and pulls again to see the leave."""

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from api.models import Scope
from scheduling.models import Leave

from .conftest import Api, rows

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-03 09:00 +0700", tick=False)
@override_settings(API_RATE_LIMIT="8/min")
def test_the_attendance_app_pulls_the_week_pushes_leave_and_sees_it(org, make_key):
    key, secret = make_key(scopes=[Scope.SCHEDULE_READ, Scope.LEAVE_WRITE], name="K-Mob")
    api = Api(secret)
    week = {"week": "2026-W50"}

    # 1. Next week's approved schedule.
    first = api.get(reverse("api:schedule"), **week)
    assert first.status_code == 200
    before = {(r["nip"], r["date"]): r["mode"] for r in rows(first)}
    three = [p.nip for p in org["people"][2:5]]
    for nip in three:
        assert before[(nip, "2026-12-09")] != "LEAVE"
        assert before[(nip, "2026-12-10")] != "LEAVE"

    # 2. Leave for three people, the second item wrong: nothing is written.
    items = [
        {"nip": nip, "start": "2026-12-09", "end": "2026-12-10", "kind": "tahunan"} for nip in three
    ]
    bad = [dict(items[0]), dict(items[1], end="2026-12-32"), dict(items[2])]
    refused = api.post(reverse("api:leaves"), {"items": bad})
    assert refused.status_code == 400
    body = refused.json()
    assert body["errors"] == [
        "item 2: end: tanggal harus YYYY-MM-DD (misalnya 2026-12-24) atau DD/MM/YYYY, "
        'bukan "2026-12-32".'
    ]
    assert body["detail"].startswith("Tidak ada yang disimpan")
    assert not Leave.objects.filter(employee__nip__in=three).exists()
    unchanged = api.get(reverse("api:schedule"), **week)
    assert {(r["nip"], r["date"]): r["mode"] for r in rows(unchanged)} == before

    # 3. The valid three.
    accepted = api.post(reverse("api:leaves"), {"items": items})
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json() == {"created": 3, "updated": 0, "unchanged": 0, "warnings": []}
    assert Leave.objects.filter(employee__nip__in=three).count() == 3

    # 4. Pulled again: those days are LEAVE, every other row as before.
    after = {
        (r["nip"], r["date"]): r["mode"] for r in rows(api.get(reverse("api:schedule"), **week))
    }
    leave_days = {(nip, day) for nip in three for day in ("2026-12-09", "2026-12-10")}
    assert {k for k, mode in after.items() if mode == "LEAVE"} >= leave_days
    assert {k: v for k, v in after.items() if k not in leave_days} == {
        k: v for k, v in before.items() if k not in leave_days
    }
    # The same push again changes nothing.
    again = api.post(reverse("api:leaves"), {"items": items})
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3, "warnings": []}

    # 5. 401 without a key, with a wrong one, with a revoked one; 403 out of scope and
    #    for another OPD; 429 over the rate.
    assert Api().get(reverse("api:schedule"), **week).status_code == 401
    assert Api(secret + "x").get(reverse("api:schedule"), **week).status_code == 401
    assert api.get(reverse("api:recap"), opd="DISDIK", month="2026-12").status_code == 403
    _bound, bound_secret = make_key(scopes=[Scope.SCHEDULE_READ], opd=org["opd"], name="Dinas")
    assert Api(bound_secret).get(reverse("api:schedule"), opd="DINKES", **week).status_code == 403
    assert api.get(reverse("api:schedule"), **week).status_code == 200  # the 7th
    assert api.get(reverse("api:schedule"), **week).status_code == 200  # the 8th
    limited = api.get(reverse("api:schedule"), **week)
    assert limited.status_code == 429 and "Retry-After" in limited
    key.revoke()
    assert api.get(reverse("api:schedule"), **week).status_code == 401


def test_leave_for_a_person_of_another_opd_with_a_bound_key_answers_403(org, make_key):
    _key, secret = make_key(scopes=[Scope.LEAVE_WRITE], opd=org["opd"])
    items = [
        {"nip": org["people"][0].nip, "start": "2026-12-09", "end": "2026-12-09", "kind": "sakit"},
        {
            "nip": org["strangers"][0].nip,
            "start": "2026-12-09",
            "end": "2026-12-09",
            "kind": "sakit",
        },
    ]
    response = Api(secret).post(reverse("api:leaves"), {"items": items})
    assert response.status_code == 403
    assert response.json()["errors"] == ["item 2: kunci API ini hanya untuk OPD DISDIK."]
    assert not Leave.objects.exists()


def test_leave_items_that_are_not_text_are_refused_by_number(make_key):
    _key, secret = make_key()
    response = Api(secret).post(
        reverse("api:leaves"), {"items": [{"nip": ["1"], "start": "", "end": "", "kind": ""}, 7]}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "item 1: nip: harus teks (tanpa karakter NUL), angka atau true/false.",
        "item 2: harus berupa objek JSON.",
    ]

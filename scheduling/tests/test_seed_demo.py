from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from opd.models import Employee, Opd, Role
from opd.nip import nip_error
from scheduling.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ESSENTIAL = {
    "DINKES",
    "RSUD",
    "DAMKAR",
    "DISHUB",
    "DLH",
    "DISDUKCAPIL",
    "DPMPTSP",
    "SATPOLPP",
    "BPBD",
    "DINSOS",
    "BAPENDA",
}


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_is_kota_bekasi_with_the_stories_essential_flags():
    out = seed()
    opds = dict(Opd.objects.values_list("code", "essential"))
    assert set(opds) >= ESSENTIAL
    assert all(opds[code] for code in ESSENTIAL)
    kecamatan = [c for c in opds if c.startswith("KEC-")]
    assert len(kecamatan) == 12 and all(opds[c] for c in kecamatan)
    assert all(opds[c] for c in opds if c.startswith("KEL-"))
    assert not opds["DISKOMINFOSTANDI"] and not opds["BAPPELITBANGDA"]
    assert 1400 <= Employee.objects.count() <= 1700
    assert "DemoBekasi2026" in out


def test_every_opd_has_one_head_and_bkpsdm_has_accounts():
    seed()
    heads = Opd.objects.annotate(h=Count("employees", filter=Q(employees__role=Role.HEAD)))
    assert {opd.h for opd in heads} == {1}
    assert Employee.objects.filter(role=Role.BKPSDM).count() >= 3


def test_every_demo_nip_is_valid_and_posts_are_staffed():
    seed()
    assert [nip for nip in Employee.objects.values_list("nip", flat=True) if nip_error(nip)] == []
    misplaced = Employee.objects.filter(post__isnull=False).exclude(post__opd=F("opd"))
    assert not misplaced.exists()


def test_seeding_twice_changes_nothing():
    seed()
    before = list(
        Employee.objects.order_by("nip").values_list("nip", "name", "opd__code", "post_id")
    )
    out = seed()
    assert "employees.csv: dibuat 0, diperbarui 0" in out
    assert (
        list(Employee.objects.order_by("nip").values_list("nip", "name", "opd__code", "post_id"))
        == before
    )


def test_printed_demo_logins_can_log_in(client):
    out = seed()
    nips = [line.split("NIP ")[1].split()[0] for line in out.splitlines() if "NIP " in line]
    assert len(nips) == 4
    for nip in nips:
        response = client.post(reverse("login"), {"username": nip, "password": DEMO_PASSWORD})
        assert response.status_code == 302, nip
        client.post(reverse("logout"))

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Roster
from scheduling.services.approval import approve_rosters, reject_rosters
from scheduling.services.build import build_roster

from .factories import PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)


def export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_roster", "--week", "2026-W50", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def built():
    PolicyFactory()
    a, b = OpdFactory(code="A"), OpdFactory(code="B")
    people = EmployeeFactory.create_batch(3, opd=a) + EmployeeFactory.create_batch(2, opd=b)
    build_roster(week_start=W50)
    return people


def test_csv_has_the_header_and_one_row_per_employee_per_weekday_sorted(built):
    out, err = export()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["nip", "date", "mode"]
    body = rows[1:]
    assert len(body) == 5 * 5
    assert body == sorted(body, key=lambda r: (r[0], r[1]))
    assert {r[1] for r in body} == {
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    }
    assert {r[2] for r in body} <= {"WFH", "WFO"}
    assert "2 roster minggu ini masih draf" in err


def test_json_holds_the_same_rows(built):
    csv_out, _ = export()
    json_out, _ = export("--format", "json")
    as_json = [[r["nip"], r["date"], r["mode"]] for r in json.loads(json_out)]
    assert as_json == list(csv.reader(io.StringIO(csv_out)))[1:]


def test_rejected_rosters_are_never_exported_and_drafts_can_be_left_out(built):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM).user
    a, b = Roster.objects.get(opd__code="A"), Roster.objects.get(opd__code="B")
    approve_rosters(roster_ids=[a.pk], user=bkpsdm)
    reject_rosters(roster_ids=[b.pk], user=bkpsdm, reason="Cek ulang")
    out, err = export()
    assert len(out.splitlines()) == 1 + 3 * 5
    assert err == ""
    out, _ = export("--approved-only")
    assert len(out.splitlines()) == 1 + 3 * 5


@pytest.mark.parametrize(
    ("week", "words"),
    [("2026-W99", "tidak punya minggu ke-99"), ("2026/50", "seperti 2026-W50"), ("W50", "seperti")],
)
def test_malformed_week_is_a_clear_error(week, words):
    with pytest.raises(CommandError, match=words):
        call_command("export_roster", "--week", week, stdout=io.StringIO())
    with pytest.raises(CommandError, match=words):
        call_command("build_roster", "--week", week, stdout=io.StringIO())


def test_build_roster_command_reports_the_week(built):
    out = io.StringIO()
    call_command("build_roster", "--week", "2026-W50", stdout=out)
    assert "Minggu 2026-W50: 0 roster dibangun, 2 tidak berubah" in out.getvalue()


def test_build_roster_for_an_unknown_opd_is_refused():
    with pytest.raises(CommandError, match='OPD "NOPE" tidak ada'):
        call_command("build_roster", "--week", "2026-W50", "--opd", "NOPE", stdout=io.StringIO())

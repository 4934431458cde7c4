"""Security checks: foreign objects, CSRF, open redirects, XSS, formula injection, bad input.

Every URL of the URL configuration is also in the permission matrix
(``test_permissions.py``), which fails when a page has no row.
"""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import Attendance
from attendance.services import check_in, check_out
from attendance.tests.conftest import assign
from opd.models import Employee, Opd, Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Roster
from scheduling.services.build import build_roster
from scheduling.services.dataset import import_dataset
from scheduling.tests.factories import PolicyFactory

from .test_permissions import MATRIX, admin_urls, named_patterns

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://evil.example","klik")'
TUESDAY = date(2026, 12, 8)


def as_client(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user, backend="opd.auth.EmployeeBackend")
    return client


@pytest.fixture
def two_opds():
    """Our OPD and a foreign one whose names must never leak."""
    ours = OpdFactory(code="DISKOMINFO", name="Dinas Kominfo")
    theirs = OpdFactory(code="DLH", name="Dinas Lingkungan Rahasia")
    secret = EmployeeFactory(opd=theirs, name="Rahasia Orang Lain")
    assign(secret, TUESDAY, "WFH")
    record = Attendance.objects.create(
        employee=secret,
        opd=theirs,
        date=TUESDAY,
        mode="WFH",
        check_in_at=datetime.fromisoformat("2026-12-08T07:10+07:00"),
        report="Laporan rahasia DLH",
        report_status="pending",
    )
    return {
        "ours": ours,
        "theirs": theirs,
        "record": record,
        "asn": EmployeeFactory(opd=ours),
        "head": EmployeeFactory(opd=ours, role=Role.HEAD),
    }


FOREIGN = ("Rahasia Orang Lain", "Dinas Lingkungan Rahasia", "Laporan rahasia DLH")


def assert_no_foreign_data(response):
    body = response.content.decode(errors="replace")
    for text in FOREIGN:
        assert text not in body, (response.request["PATH_INFO"], text)


def test_head_asking_for_another_opd_by_code_gets_404_and_nothing_of_it(two_opds):
    head = as_client(two_opds["head"].user)
    record = two_opds["record"]
    urls = [
        reverse("opd:opd-detail", args=["DLH"]),
        reverse("scheduling:roster-week", args=["DLH", "2026-W50"]),
        reverse("scheduling:roster-csv", args=["DLH", "2026-W50"]),
        reverse("scheduling:roster-xlsx", args=["DLH", "2026-W50"]),
        reverse("attendance:opd-today", args=["DLH"]),
        reverse("attendance:recap", args=["DLH", "2026-12"]),
        reverse("attendance:recap-csv", args=["DLH", "2026-12"]),
        reverse("attendance:recap-xlsx", args=["DLH", "2026-12"]),
    ]
    for url in urls:
        response = head.get(url)
        assert response.status_code == 404, url
        assert_no_foreign_data(response)
    for url in (
        reverse("attendance:review", args=["DLH", record.pk]),
        reverse("attendance:review", args=["DISKOMINFO", record.pk]),
    ):
        response = head.post(url, {"decision": "accept"})
        assert response.status_code == 404
    record.refresh_from_db()
    assert record.report_status == "pending"


def test_head_asking_for_another_opd_by_query_parameter_gets_their_own(two_opds):
    head = as_client(two_opds["head"].user)
    for url in (reverse("scheduling:roster-index"), reverse("attendance:opd-index")):
        response = head.get(url, {"opd": "DLH", "week": "2026-W50"})
        assert response.status_code == 302 and "DLH" not in response.url
        assert "DISKOMINFO" in response.url
    response = head.get(reverse("attendance:opd-today", args=["DISKOMINFO"]), {"opd": "DLH"})
    assert_no_foreign_data(response)
    response = head.get(
        reverse("admin:attendance_attendance_changelist"), {"opd__id__exact": two_opds["theirs"].pk}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_asn_asking_for_another_persons_records_by_id_gets_404(two_opds):
    asn = as_client(two_opds["asn"].user)
    record = two_opds["record"]
    response = asn.post(reverse("attendance:resubmit", args=[record.pk]), {"report": "diubah"})
    assert response.status_code == 404
    assert_no_foreign_data(response)
    for url in (
        reverse("admin:attendance_attendance_change", args=[record.pk]),
        reverse("admin:opd_employee_change", args=[record.employee_id]),
        reverse("admin:opd_employee_password", args=[record.employee_id]),
    ):
        response = asn.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    for url in (
        reverse("attendance:mine"),
        reverse("scheduling:my-schedule"),
        reverse("opd:profile"),
    ):
        assert_no_foreign_data(
            asn.get(url, {"employee": record.employee_id, "nip": record.employee.nip})
        )
    assert Attendance.objects.get(pk=record.pk).report == "Laporan rahasia DLH"


def every_url(world) -> list[str]:
    """Every URL of the configuration with real objects: the matrix's pages and every
    admin page (``admin_urls`` fills in an object id where a pattern needs one)."""
    urls = set()
    for name, _pattern in named_patterns():
        if name in MATRIX:
            kwargs_of, _method, _expected = MATRIX[name]
            urls.add(reverse(name, kwargs=kwargs_of(world) if kwargs_of else None))
    urls.update(url for _name, url in admin_urls())
    return sorted(urls)


def test_every_post_without_a_csrf_token_is_refused(world):
    """Every URL of the configuration, as a logged-in BKPSDM user: no token, 403 (401 on
    the API, which ignores the session)."""
    client = as_client(world["bkpsdm"], enforce_csrf_checks=True)
    before = _counts()
    urls = every_url(world)
    assert len(urls) > 60
    for url in urls:
        response = client.post(url, {"action": "in", "decision": "accept", "report": "x"})
        # The machine API takes no session at all: the cookie alone is not a way in, so
        # it answers 401 (no key) before anything else, and CSRF is not needed there;
        # its schema and docs are read-only pages (405 to a POST).
        if url.startswith(("/api/v1/schema/", "/api/v1/docs/")):
            expected = 405
        elif url.startswith("/api/v1/"):
            expected = 401
        else:
            expected = 403
        assert response.status_code == expected, url
    assert _counts() == before


def _a_roster(opd):
    PolicyFactory()
    build_roster(week_start=date(2026, 12, 7), opd_ids=[opd.pk])
    return Roster.objects.get(opd=opd)


def _counts():
    return (
        Attendance.objects.count(),
        Roster.objects.count(),
        Employee.objects.count(),
        Opd.objects.count(),
    )


@time_machine.travel("2026-12-08 07:15 +0700", tick=False)
def test_a_foreign_origin_is_refused_even_with_a_valid_token(two_opds):
    client = Client(enforce_csrf_checks=True)
    client.force_login(two_opds["asn"].user, backend="opd.auth.EmployeeBackend")
    page = client.get(reverse("attendance:check-in")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        reverse("attendance:check-in"),
        {"csrfmiddlewaretoken": token, "action": "in"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert not Attendance.objects.filter(employee=two_opds["asn"]).exists()
    same_site = client.post(
        reverse("attendance:check-in"),
        {"csrfmiddlewaretoken": token, "action": "in"},
        HTTP_ORIGIN="http://testserver",
    )
    assert same_site.status_code == 302
    assert Attendance.objects.filter(employee=two_opds["asn"]).exists()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/phish", "//evil.example/phish", "http:evil.example", "/\\evil.example"],
)
def test_next_parameters_never_redirect_off_site(two_opds, target):
    employee = two_opds["asn"]
    employee.user.set_password("Benar-Sekali-1")
    employee.user.save()
    client = Client()
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": employee.nip, "password": "Benar-Sekali-1", "next": target},
    )
    assert response.status_code == 302 and "evil.example" not in response.url
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert "evil.example" not in response.url
    response = client.post(f"{reverse('logout')}?next={target}", {"next": target})
    assert "evil.example" not in response.url


@pytest.fixture
def payloads(tmp_path):
    """An OPD, a post and people imported with script and onerror payloads in their
    names, a built roster, and a daily report with markup."""
    files = {
        "opds.csv": f'code,name,essential\nXSS,"Dinas {SCRIPT}",0\n',
        "posts.csv": f'opd_code,code,name,min_onsite\nXSS,P1,"Loket {IMAGE}",1\n',
        "employees.csv": (
            "nip,name,opd_code,post_code,wfh_eligible,role\n"
            f'198504122010011003,"Budi {SCRIPT}",XSS,P1,1,asn\n'
            f'199001012015012001,"Siti {IMAGE}",XSS,,1,head\n'
            f'199203032016011002,"{FORMULA.replace(chr(34), 2 * chr(34))}",XSS,,1,asn\n'
        ),
    }
    report = import_dataset(files={k: v.encode() for k, v in files.items()})
    assert report.ok, report.errors
    PolicyFactory()
    build_roster(week_start=date(2026, 12, 7))
    roster = Roster.objects.get()
    budi = Employee.objects.get(nip="198504122010011003")
    formula = Employee.objects.get(nip="199203032016011002")
    assign(formula, TUESDAY, "WFH")
    check_in(employee=formula, now=datetime.fromisoformat("2026-12-08T07:10+07:00"))
    check_out(
        employee=formula,
        now=datetime.fromisoformat("2026-12-08T16:10+07:00"),
        report=f"Selesai {SCRIPT} {IMAGE} <b>tebal</b>",
    )
    return {
        "roster": roster,
        "budi": budi,
        "head": Employee.objects.get(role=Role.HEAD),
        "formula": formula,
    }


@time_machine.travel("2026-12-08 17:00 +0700", tick=False)
def test_imported_markup_is_escaped_on_every_page_that_shows_it(payloads):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    record = Attendance.objects.get()
    pages = {
        payloads["head"].user: [
            reverse("opd:opd-list"),
            reverse("opd:opd-detail", args=["XSS"]),
            reverse("scheduling:roster-week", args=["XSS", "2026-W50"]),
            reverse("attendance:opd-today", args=["XSS"]),
            reverse("attendance:recap", args=["XSS", "2026-12"]),
            reverse("opd:profile"),
        ],
        payloads["budi"].user: [
            reverse("opd:profile"),
            reverse("scheduling:my-schedule"),
            reverse("attendance:mine"),
            reverse("attendance:check-in"),
        ],
        payloads["formula"].user: [reverse("attendance:mine") + "?bulan=2026-12"],
        bkpsdm.user: [
            reverse("admin:opd_employee_changelist"),
            reverse("admin:opd_employee_change", args=[payloads["budi"].pk]),
            reverse("admin:opd_opd_changelist"),
            reverse("admin:opd_servicepost_changelist"),
            reverse("admin:scheduling_roster_changelist"),
            reverse("admin:scheduling_roster_change", args=[payloads["roster"].pk]),
            reverse("admin:scheduling_roster_history", args=[payloads["roster"].pk]),
            reverse("admin:attendance_attendance_changelist"),
            reverse("admin:attendance_attendance_change", args=[record.pk]),
            reverse("attendance:opd-today", args=["XSS"]),
        ],
    }
    seen_escaped = set()
    for user, urls in pages.items():
        client = as_client(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            for raw in (SCRIPT, IMAGE, "<b>tebal</b>"):
                assert raw not in body, (url, raw)
            if "&lt;script&gt;" in body or "&lt;img src=x onerror=alert(1)&gt;" in body:
                seen_escaped.add(url)
    assert len(seen_escaped) >= 15


def test_bad_rows_with_markup_are_escaped_in_the_admin_import_report(payloads):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = f'nip,name,opd_code,post_code,wfh_eligible,role\n1.98E+17,x,"{SCRIPT}",,1,asn\n'
    response = as_client(bkpsdm.user).post(
        reverse("import-dataset"),
        {"employees": SimpleUploadedFile("employees.csv", bad.encode())},
    )
    body = response.content.decode()
    assert "tidak dikenal" in body and SCRIPT not in body


def test_downloads_neutralise_spreadsheet_formulas(payloads):
    head = as_client(payloads["head"].user)
    text = head.get(reverse("attendance:recap-csv", args=["XSS", "2026-12"])).content.decode(
        "utf-8-sig"
    )
    names = [row[1] for row in csv.reader(io.StringIO(text))]
    assert "'" + FORMULA in names and FORMULA not in names
    workbook = head.get(reverse("scheduling:roster-xlsx", args=["XSS", "2026-W50"])).content
    cells = [
        c.value for row in load_workbook(io.BytesIO(workbook))["Roster"].iter_rows() for c in row
    ]
    assert "'" + FORMULA in cells and FORMULA not in cells


NASTY = [
    "2026-W99",
    "2026-W00",
    "9999-W01",
    # Dates at the edges of what Python can hold: arithmetic on them would overflow.
    "0001-W01",
    "9999-W52",
    "0001-01",
    "9999-12",
    "0001-01-01",
    "9999-12-31",
    "-1",
    "0",
    "abc",
    "'; DROP TABLE opd_opd; --",
    "<script>alert(1)</script>",
    "%00",
    "\x00",
    "../../etc/passwd",
    "🙂",
    "x" * 3000,
    "2026-13",
    "2026-12-32",
    "1e400",
    "NaN",
    "[]",
    "{}",
]
QUERY_PARAMS = ("week", "opd", "bulan", "tanggal", "page", "q", "next", "e", "o", "p")


@time_machine.travel("2026-12-08 09:00 +0700", tick=False)
def test_extreme_weeks_months_and_days_are_a_clear_400(two_opds):
    head = as_client(two_opds["head"].user)
    for url, params in (
        (reverse("scheduling:roster-week", args=["DISKOMINFO", "0001-W01"]), {}),
        (reverse("scheduling:roster-week", args=["DISKOMINFO", "9999-W52"]), {}),
        (reverse("attendance:recap", args=["DISKOMINFO", "9999-12"]), {}),
        (reverse("attendance:mine"), {"bulan": "0001-01"}),
        (reverse("attendance:opd-today", args=["DISKOMINFO"]), {"tanggal": "9999-12-31"}),
    ):
        response = head.get(url, params)
        assert response.status_code == 400, url
        assert "Tahun harus antara 2000 dan 2099" in response.content.decode()


@time_machine.travel("2026-12-08 09:00 +0700", tick=False)
def test_nasty_query_parameters_never_cause_a_500(world):
    before = _counts()
    urls = every_url(world)
    for role in ("bkpsdm", "head", "asn"):
        client = Client(raise_request_exception=False)
        client.force_login(world[role], backend="opd.auth.EmployeeBackend")
        for url in urls:
            for value in NASTY:
                response = client.get(url, {name: value for name in QUERY_PARAMS})
                assert response.status_code < 500, (role, url, value, response.status_code)
    assert _counts() == before


@pytest.mark.parametrize("value", NASTY)
def test_nasty_path_parameters_are_404_or_400(two_opds, value):
    head = Client(raise_request_exception=False)
    head.force_login(two_opds["head"].user, backend="opd.auth.EmployeeBackend")
    for path in (
        f"/roster/{value}/2026-W50/",
        f"/roster/DISKOMINFO/{value}/",
        f"/opd/{value}/",
        f"/presensi/opd/{value}/",
        f"/presensi/opd/DISKOMINFO/rekap/{value}/",
        f"/roster/DISKOMINFO/{value}/unduh.xlsx",
    ):
        response = head.get(path)
        assert response.status_code in (200, 302, 400, 404), (path, response.status_code)
    staff = Client(raise_request_exception=False)
    staff.force_login(
        EmployeeFactory(role=Role.BKPSDM, opd=two_opds["ours"]).user,
        backend="opd.auth.EmployeeBackend",
    )
    for method, path in (
        ("post", f"/admin/scheduling/roster/{value}/setujui/"),
        ("post", f"/admin/scheduling/roster/{value}/tolak/"),
        ("get", f"/admin/opd/employee/{value}/password/"),
        ("get", f"/admin/scheduling/roster/{value}/change/"),
    ):
        response = getattr(staff, method)(path)
        assert response.status_code in (302, 400, 404), (path, response.status_code)


@time_machine.travel("2026-12-08 07:15 +0700", tick=False)
def test_nasty_form_posts_are_form_errors_and_write_nothing(two_opds):
    asn = Client(raise_request_exception=False)
    asn.force_login(two_opds["asn"].user, backend="opd.auth.EmployeeBackend")
    head = Client(raise_request_exception=False)
    head.force_login(two_opds["head"].user, backend="opd.auth.EmployeeBackend")
    bkpsdm = Client(raise_request_exception=False)
    bkpsdm.force_login(
        EmployeeFactory(role=Role.BKPSDM, opd=two_opds["ours"]).user,
        backend="opd.auth.EmployeeBackend",
    )
    before = _counts()
    for value in NASTY:
        # Each submission is invalid somewhere (a bad field, or a longitude without a
        # latitude), so none may check in; "0" and "-1" are real latitudes, not bad ones.
        for field in ("lat", "lon", "accuracy", "action", "report"):
            if field == "lat" and value in ("0", "-1"):
                continue
            data = {"action": "in", "lon": "1", field: value}
            response = asn.post(reverse("attendance:check-in"), data)
            assert response.status_code == 400, (field, value, response.status_code)
        assert (
            bkpsdm.post(reverse("admin:scheduling_rosterbuild_add"), {"week": value}).status_code
            < 500
        )
        assert bkpsdm.post(reverse("set_language"), {"language": value}).status_code < 500
        reviewed = head.post(
            reverse("attendance:review", args=["DISKOMINFO", 10**9]), {"decision": value}
        )
        assert reviewed.status_code in (400, 404)
    assert _counts() == before
    assert not Attendance.objects.filter(employee=two_opds["asn"]).exists()


@time_machine.travel("2026-12-08 07:15 +0700", tick=False)
def test_oversized_and_overfull_requests_are_400(two_opds):
    client = Client(raise_request_exception=False)
    client.force_login(two_opds["asn"].user, backend="opd.auth.EmployeeBackend")
    huge = client.post(
        reverse("attendance:check-in"), {"action": "in", "report": "x" * (6 * 2**20)}
    )
    assert huge.status_code == 400
    many = client.post(reverse("attendance:check-in"), {f"f{i}": "1" for i in range(1500)})
    assert many.status_code == 400
    # On a working day either would have checked in had it been accepted.
    assert not Attendance.objects.filter(employee=two_opds["asn"]).exists()

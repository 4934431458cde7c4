"""Attendance pages: my month, the OPD's day, report review, the monthly recap."""

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import Attendance
from attendance.services import check_in, check_out, mark_absent
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.tests.factories import LeaveFactory

from .conftest import HOME, OFFICE, TUESDAY, assign

pytestmark = pytest.mark.django_db
MORNING = "2026-12-08 08:05 +0700"


def at(text):
    from datetime import datetime

    return datetime.fromisoformat(text)


@pytest.fixture
def day(opd, wfh_asn, wfo_asn, head):
    """Tuesday in Dinas Kominfo: Teguh at home with a report, Dewi late at the office,
    Rina not yet in, Sari on leave."""
    rina = EmployeeFactory(opd=opd, name="Rina Supriatna")
    assign(rina, TUESDAY, "WFO")
    sari = EmployeeFactory(opd=opd, name="Sari Santoso")
    LeaveFactory(employee=sari, start=TUESDAY, end=TUESDAY, kind="tahunan")
    check_in(
        employee=wfh_asn, now=at("2026-12-08T07:20+07:00"), lat=HOME[0], lon=HOME[1], accuracy=8
    )
    check_out(
        employee=wfh_asn,
        now=at("2026-12-08T16:10+07:00"),
        lat=HOME[0],
        lon=HOME[1],
        accuracy=8,
        report="<script>alert('x')</script> Menyusun <b>laporan</b>",
    )
    check_in(
        employee=wfo_asn, now=at("2026-12-08T08:02+07:00"), lat=OFFICE[0], lon=OFFICE[1], accuracy=9
    )
    return {"rina": rina, "sari": sari}


@time_machine.travel(MORNING, tick=False)
def test_head_sees_todays_attendance_at_a_glance(client, login, head, day):
    body = (
        login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content.decode()
    )
    assert "Kehadiran Sel, 8 Des 2026" in body
    assert "Rina Supriatna" in body and "belum presensi" in body
    assert "Dewi Lestari" in body and "terlambat (TL2)" in body  # 32 minutes late
    assert "Sari Santoso" in body and ">cuti tahunan<" in body
    assert "1 laporan harian menunggu tinjauan" in body


@time_machine.travel(MORNING, tick=False)
def test_the_head_reads_what_kind_of_absence_it_is_not_just_cuti(client, login, opd, head):
    for name, kind in (("Bayu", "izin"), ("Citra", "sakit"), ("Dimas", "dinas_luar")):
        LeaveFactory(
            employee=EmployeeFactory(opd=opd, name=name), start=TUESDAY, end=TUESDAY, kind=kind
        )
    body = (
        login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content.decode()
    )
    table = body[body.index('id="today"') :]
    for name, label in (("Bayu", "izin"), ("Citra", "cuti sakit"), ("Dimas", "dinas luar")):
        row = table[table.index(name) :]
        assert f"<td>{label}</td>" in row[: row.index("</tr>")], name


@time_machine.travel(MORNING, tick=False)
def test_the_heads_morning_puts_who_needs_attention_first_then_posts_then_reports(
    client, login, head, day
):
    body = (
        login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content.decode()
    )
    # Counts, then who is not yet in or late (not those on time or on leave), then the
    # full list folded away, then the reports.
    attention = body[body.index('id="attention"') : body.index('id="everyone"')]
    assert "Rina Supriatna" in attention and "Dewi Lestari" in attention
    assert "Sari Santoso" not in attention and "Teguh" not in attention
    assert (
        body.index('id="counts"')
        < body.index('id="attention"')
        < body.index('id="everyone"')
        < body.index('id="reports-section"')
    )


@time_machine.travel(MORNING, tick=False)
def test_the_head_moves_to_the_previous_or_next_day_or_picks_one(client, login, head):
    url = reverse("attendance:opd-today", args=["DISKOMINFO"])
    body = login(head.user).get(url).content.decode()
    nav = body[body.index('id="day-nav"') :]
    assert '?tanggal=2026-12-07"' in nav and '?tanggal=2026-12-09"' in nav
    assert 'type="date" id="pick-day" name="tanggal" value="2026-12-08"' in nav
    assert "hari ini" in body[body.index('id="day-title"') :][:200]
    other = client.get(url, {"tanggal": "2026-12-07"}).content.decode()
    assert "Kehadiran Sen, 7 Des 2026" in other and f'href="{url}">Hari ini<' in other


def _pending(opd, people, day):
    for person in people:
        Attendance.objects.create(
            employee=person,
            opd=opd,
            date=day,
            mode="WFH",
            status=Attendance.Status.PRESENT,
            check_in_at=at(f"{day.isoformat()}T07:20+07:00"),
            report=f"Laporan {person.name}",
            report_status=Attendance.Report.PENDING,
        )


@time_machine.travel(MORNING, tick=False)
def test_reports_are_filtered_by_day_and_come_a_page_at_a_time(client, login, opd, head):
    from datetime import date

    people = [EmployeeFactory(opd=opd, name=f"Pegawai {i:02}") for i in range(30)]
    _pending(opd, people, date(2026, 12, 3))
    _pending(opd, people[:4], date(2026, 12, 7))
    url = reverse("attendance:opd-today", args=["DISKOMINFO"])
    body = login(head.user).get(url).content.decode()
    assert "34 laporan harian menunggu tinjauan" in body
    assert body.count('name="laporan_id"') == 25  # oldest first: all of Thursday's
    assert "Halaman 1 dari 2" in body and "halaman=2" in body
    assert '<option value="2026-12-07">Sen, 7 Des 2026 (4)</option>' in body
    second = client.get(url, {"halaman": "2"}).content.decode()
    assert second.count('name="laporan_id"') == 9 and "Halaman 2 dari 2" in second
    monday = client.get(url, {"laporan": "2026-12-07"}).content.decode()
    assert "4 laporan harian menunggu tinjauan · Sen, 7 Des 2026" in monday
    assert monday.count('name="laporan_id"') == 4 and "Halaman 1 dari" not in monday
    # A page past the end shows the last one; a bad day is a 400 naming the format.
    assert client.get(url, {"halaman": "99"}).content.decode().count('name="laporan_id"') == 9
    bad = client.get(url, {"laporan": "senin"})
    assert bad.status_code == 400 and "2026-12-08" in bad.content.decode()


@time_machine.travel(MORNING, tick=False)
def test_the_head_accepts_ticked_reports_at_once_but_never_their_own_or_another_opds(
    client, login, opd, head
):
    from datetime import date

    people = [EmployeeFactory(opd=opd) for _ in range(3)]
    _pending(opd, [*people, head], date(2026, 12, 7))
    elsewhere = OpdFactory(code="DLH")
    stranger = EmployeeFactory(opd=elsewhere)
    _pending(elsewhere, [stranger], date(2026, 12, 7))
    ids = {a.employee_id: a.pk for a in Attendance.objects.all()}
    ticked = [ids[people[0].pk], ids[people[1].pk], ids[head.pk], ids[stranger.pk]]
    login(head.user)
    url = reverse("attendance:accept-reports", args=["DISKOMINFO"])
    response = client.post(
        url, {"laporan_id": ticked, "tanggal": "2026-12-07", "laporan": "2026-12-07"}
    )
    assert response.url.endswith("?tanggal=2026-12-07&laporan=2026-12-07")
    status = dict(Attendance.objects.values_list("employee_id", "report_status"))
    assert status == {
        people[0].pk: "accepted",
        people[1].pk: "accepted",
        people[2].pk: "pending",  # not ticked
        head.pk: "pending",  # their own: BKPSDM or their superior reviews it
        stranger.pk: "pending",  # another OPD's report is out of reach
    }
    page = client.get(response.url).content.decode()
    assert "2 laporan diterima. 2 laporan dilewati" in page
    # Nothing ticked: a message, nothing written.
    client.post(url, {})
    assert Attendance.objects.filter(report_status="accepted").count() == 2
    assert (
        "Pilih dulu laporan yang akan diterima."
        in client.get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content.decode()
    )


@time_machine.travel(MORNING, tick=False)
def test_report_markup_is_always_escaped(client, login, head, day, wfh_asn):
    body = (
        login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content.decode()
    )
    assert "<script>alert" not in body and "<b>laporan</b>" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    client.force_login(wfh_asn.user, backend="opd.auth.EmployeeBackend")
    body = client.get(reverse("attendance:mine"), {"bulan": "2026-12"}).content.decode()
    assert "<script>alert" not in body


@time_machine.travel(MORNING, tick=False)
def test_head_accepts_or_returns_reports_with_a_comment(client, login, head, day, wfh_asn):
    record = Attendance.objects.get(employee=wfh_asn)
    url = reverse("attendance:review", args=["DISKOMINFO", record.pk])
    login(head.user)
    client.post(url, {"decision": "return", "comment": ""})
    record.refresh_from_db()
    assert record.report_status == "pending"  # returning needs a comment
    client.post(url, {"decision": "return", "comment": "Lampirkan tautan draf SOP"})
    record.refresh_from_db()
    assert (record.report_status, record.report_comment, record.reviewed_by) == (
        "returned",
        "Lampirkan tautan draf SOP",
        head.user,
    )
    # The ASN fixes it; it waits for review again; the head accepts.
    client.force_login(wfh_asn.user, backend="opd.auth.EmployeeBackend")
    mine = client.get(reverse("attendance:mine"), {"bulan": "2026-12"}).content.decode()
    assert "dikembalikan" in mine and "Lampirkan tautan draf SOP" in mine
    # The check-in page carries the comment too, with a link to the day, until fixed.
    check_in_page = client.get(reverse("attendance:check-in")).content.decode()
    assert f'id="returned-{record.pk}"' in check_in_page
    assert "Lampirkan tautan draf SOP" in check_in_page and "#hari-2026-12-08" in check_in_page
    client.post(
        reverse("attendance:resubmit", args=[record.pk]), {"report": "SOP v2: https://drive/x"}
    )
    record.refresh_from_db()
    assert (record.report, record.report_status) == ("SOP v2: https://drive/x", "pending")
    check_in_page = client.get(reverse("attendance:check-in")).content.decode()
    assert f'id="returned-{record.pk}"' not in check_in_page
    client.force_login(head.user, backend="opd.auth.EmployeeBackend")
    client.post(url, {"decision": "accept", "comment": ""})
    record.refresh_from_db()
    assert record.report_status == "accepted"


@time_machine.travel(MORNING, tick=False)
def test_nobody_reviews_their_own_report(client, login, opd, head):
    from attendance.services import AttendanceError, review_report

    assign(head, TUESDAY, "WFH")
    check_in(employee=head, now=at("2026-12-08T07:20+07:00"), lat=HOME[0], lon=HOME[1], accuracy=5)
    check_out(
        employee=head,
        now=at("2026-12-08T16:05+07:00"),
        lat=HOME[0],
        lon=HOME[1],
        accuracy=5,
        report="Laporan kepala",
    )
    record = Attendance.objects.get(employee=head)
    with pytest.raises(AttendanceError, match="bukan oleh Anda"):
        review_report(attendance=record, reviewer=head.user, accept=True)
    login(head.user).post(
        reverse("attendance:review", args=["DISKOMINFO", record.pk]), {"decision": "accept"}
    )
    record.refresh_from_db()
    assert record.report_status == "pending"


@time_machine.travel(MORNING, tick=False)
def test_head_of_another_opd_cannot_review_or_see(client, login, day, wfh_asn):
    stranger = EmployeeFactory(opd=OpdFactory(code="DLH"), role=Role.HEAD)
    record = Attendance.objects.get(employee=wfh_asn)
    login(stranger.user)
    assert client.get(reverse("attendance:opd-today", args=["DISKOMINFO"])).status_code == 404
    response = client.post(
        reverse("attendance:review", args=["DISKOMINFO", record.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    # Nor through their own OPD's URL with a foreign record id.
    response = client.post(
        reverse("attendance:review", args=["DLH", record.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.report_status == "pending"


@time_machine.travel(MORNING, tick=False)
def test_asn_cannot_resubmit_someone_elses_report(client, login, day, wfh_asn, wfo_asn):
    record = Attendance.objects.get(employee=wfh_asn)
    login(wfo_asn.user)
    response = client.post(reverse("attendance:resubmit", args=[record.pk]), {"report": "hacked"})
    assert response.status_code == 404
    assert Attendance.objects.get(pk=record.pk).report != "hacked"


@time_machine.travel("2026-12-20 10:00 +0700", tick=False)
def test_my_month_lists_mode_times_grades_flags_and_report_status(client, login, day, wfo_asn):
    body = (
        login(wfo_asn.user).get(reverse("attendance:mine"), {"bulan": "2026-12"}).content.decode()
    )
    assert "Selasa" in body or "Sel, 8 Des" in body
    assert "Masuk 08:02" in body and "TL2" in body
    assert "Desember 2026" in body
    other = login(wfo_asn.user).get(reverse("attendance:mine"), {"bulan": "2026-13"})
    assert other.status_code == 400 and "2026-12 (tahun-bulan)" in other.content.decode()


@time_machine.travel("2026-12-09 10:00 +0700", tick=False)
def test_my_month_counts_my_working_days_and_explains_days_without_an_approved_roster(
    client, login, day, wfo_asn
):
    body = (
        login(wfo_asn.user).get(reverse("attendance:mine"), {"bulan": "2026-12"}).content.decode()
    )
    # 1-4, 7, 8, 9 Dec so far; present on the 8th only; only the 8th was approved.
    summary = body[body.index('id="month-summary"') :][:600]
    assert "Hari kerja sampai hari ini: <strong>7</strong> · hadir <strong>1</strong> (14,3 %)" in (
        summary
    )
    assert "6 hari kerja tanpa jadwal yang disetujui" in summary
    monday = body[body.index('id="hari-2026-12-07"') :]
    monday = monday[: monday.index("</li>")]
    assert (
        "Tidak ada catatan presensi." in monday
        and 'class="small text-body-secondary unplanned"' in (monday)
    )
    tuesday = body[body.index('id="hari-2026-12-08"') :]
    assert "unplanned" not in tuesday[: tuesday.index("</li>")]


@time_machine.travel("2026-12-31 10:00 +0700", tick=False)
def test_recap_counts_per_employee_and_downloads(client, login, head, day, wfo_asn):
    mark_absent(day=TUESDAY)  # Rina never came
    url = reverse("attendance:recap", args=["DISKOMINFO", "2026-12"])
    body = login(head.user).get(url).content.decode()
    assert "Rekap kehadiran Desember 2026" in body
    response = client.get(reverse("attendance:recap-csv", args=["DISKOMINFO", "2026-12"]))
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = {r[1]: r for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    header = rows["Nama"]
    assert header == [
        "NIP",
        "Nama",
        "Hari kerja",
        "Hadir",
        "Kehadiran (%)",
        "Hari kerja tanpa jadwal disetujui",
        "TL1",
        "TL2",
        "TL3",
        "TL4",
        "PSW1",
        "PSW2",
        "PSW3",
        "PSW4",
        "Tanpa keterangan",
        "Hari WFH/WFA",
        "Laporan belum ada",
        "Potongan TPP (%)",
    ]
    dewi = dict(zip(header, rows["Dewi Lestari"], strict=True))
    assert (dewi["Hadir"], dewi["TL2"], dewi["PSW4"]) == ("1", "1", "1")  # no check-out
    # Permentan 68/2012's defaults: TL2 1 % + PSW4 2 %.
    assert dewi["Potongan TPP (%)"] == "3.0"
    # 23 weekdays in December 2026, less Christmas and its cuti bersama (24 and 25 Dec);
    # Sari was on leave on Tuesday 8 Dec.
    assert dewi["Hari kerja"] == "21"
    assert rows["Sari Santoso"][header.index("Hari kerja")] == "20"
    # Only Tuesday 8 Dec has an approved roster for Dewi: her other 20 working days are
    # counted (WFO by the default rule) and shown as days without an approved roster.
    assert (dewi["Hari kerja tanpa jadwal disetujui"], dewi["Kehadiran (%)"]) == ("20", "4.8")
    teguh = dict(zip(header, rows["Teguh Rahmawati"], strict=True))
    assert (teguh["Hari WFH/WFA"], teguh["Laporan belum ada"]) == ("1", "0")
    rina = dict(zip(header, rows["Rina Supriatna"], strict=True))
    assert (rina["Hadir"], rina["Tanpa keterangan"], rina["TL4"]) == ("0", "1", "1")
    # An absent day is deducted once, as absent (3 %), not again as TL4 and PSW4.
    assert rina["Potongan TPP (%)"] == "3.0"
    assert teguh["Potongan TPP (%)"] == "0.0"
    workbook = client.get(reverse("attendance:recap-xlsx", args=["DISKOMINFO", "2026-12"]))
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [c.value for c in sheet[2]] == header
    assert sheet.max_row == 2 + len(rows) - 1


@time_machine.travel("2026-12-08 18:00 +0700", tick=False)
def test_the_recap_shows_each_persons_share_present_the_totals_and_days_without_a_roster(
    client, login, head, day, wfo_asn
):
    body = login(head.user).get(reverse("attendance:recap", args=["DISKOMINFO", "2026-12"]))
    body = body.content.decode()
    # Up to Tuesday 8 Dec: six working days (1-4, 7, 8 Dec); only the 8th is approved.
    dewi = body[body.index("Dewi Lestari") :]
    dewi = dewi[: dewi.index("</tr>")]
    assert '<td class="text-end">6</td>' in dewi and '<td class="text-end">5</td>' in dewi
    assert '<td class="text-end presence-percent">16,7 %</td>' in dewi  # 1 of 6
    totals = body[body.index('id="recap-totals"') :]
    totals = totals[: totals.index("</tfoot>")]
    # Five people, six working days each but Sari (on leave on the 8th): 29 days; two
    # present (Teguh and Dewi); only three days (the 8th of Teguh, Dewi, Rina) approved.
    cells = [
        "Jumlah (5 pegawai)</th>",
        '<td class="text-end">29</td>',
        '<td class="text-end">2</td>',
        '<td class="text-end">6,9 %</td>',
        '<td class="text-end">26</td>',
    ]
    positions = [totals.index(cell) for cell in cells]
    assert positions == sorted(positions)
    explained = body[body.index('id="recap-explained"') :][:500]
    assert "Hari kerja dihitung sampai Sel, 8 Des 2026" in explained
    assert "tidak dibuang" in explained


def test_bad_month_and_date_parameters_are_400(client, login, head):
    login(head.user)
    assert (
        client.get(reverse("attendance:recap", args=["DISKOMINFO", "2026-W50"])).status_code == 400
    )
    response = client.get(
        reverse("attendance:opd-today", args=["DISKOMINFO"]), {"tanggal": "kemarin"}
    )
    assert response.status_code == 400 and "2026-12-08" in response.content.decode()


def test_bkpsdm_sees_any_opd_with_a_chooser(client, login, opd):
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    login(bkpsdm.user)
    body = client.get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content.decode()
    assert 'name="opd"' in body and "Dinas Kominfo" in body
    response = client.get(reverse("attendance:opd-index"), {"opd": "DISKOMINFO"})
    assert response.url == reverse("attendance:opd-today", args=["DISKOMINFO"])


@time_machine.travel(MORNING, tick=False)
def test_list_pages_run_a_constant_number_of_queries(
    client, login, opd, head, django_assert_num_queries
):
    from datetime import datetime

    login(head.user)
    client.get(reverse("attendance:check-in"))  # warm the configuration cache
    pages = [
        # session, user, the OPD, employees, roster entries, records, leave, pending
        # reports per day and one page of them, post coverage, the day's coverage alerts,
        # unread notices (the navigation bar, on every page); a short post adds its recall
        # candidates (test_coverage)
        (reverse("attendance:opd-today", args=["DISKOMINFO"]), 12),
        # session, user, the OPD, employees with their month's counts, the approved
        # roster entries and the leave behind each person's working days
        (reverse("attendance:recap", args=["DISKOMINFO", "2026-12"]), 7),
        # session, user, roster entries, records, leave, unread notices
        (reverse("attendance:mine"), 6),
    ]
    for size in (2, 25):
        for _ in range(size):
            person = EmployeeFactory(opd=opd)
            assign(person, TUESDAY, "WFH")
            check_in(
                employee=person,
                now=datetime.fromisoformat("2026-12-08T07:25+07:00"),
                lat=HOME[0],
                lon=HOME[1],
                accuracy=5,
            )
            check_out(
                employee=person,
                now=datetime.fromisoformat("2026-12-08T16:05+07:00"),
                lat=HOME[0],
                lon=HOME[1],
                accuracy=5,
                report="Laporan",
            )
        for url, count in pages:
            with django_assert_num_queries(count):
                assert client.get(url).status_code == 200


@time_machine.travel(MORNING, tick=False)
def test_head_sees_the_ip_and_browser_behind_a_flagged_check_in(client, login, head, opd):
    suspect = EmployeeFactory(opd=opd, name="Bayu Nugroho")
    assign(suspect, TUESDAY, "WFO")
    # 20 km from the office: flagged, with the request's evidence kept.
    check_in(
        employee=suspect,
        now=at("2026-12-08T07:10+07:00"),
        lat=-6.40,
        lon=106.99,
        accuracy=10,
        ip="203.0.113.9",
        user_agent="<b>FakeGPS</b> Android",
    )
    body = login(head.user).get(reverse("attendance:opd-today", args=["DISKOMINFO"])).content
    body = body.decode()
    assert "Bukti perangkat" in body and "203.0.113.9" in body
    assert "&lt;b&gt;FakeGPS&lt;/b&gt; Android" in body  # escaped, as every user-sent text


def test_attendance_mode_is_one_of_the_working_modes(opd, wfo_asn):
    from django.core.exceptions import ValidationError

    record = Attendance(employee=wfo_asn, opd=opd, date=TUESDAY, mode="LEAVE", status="absent")
    with pytest.raises(ValidationError) as error:
        record.full_clean(exclude=["employee", "opd"])
    assert "mode" in error.value.message_dict
    assert [value for value, _label in Attendance._meta.get_field("mode").choices] == [
        "WFO",
        "WFH",
        "WFA",
    ]

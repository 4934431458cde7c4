"""Notices in the app and by e-mail through a real SMTP server on 127.0.0.1."""

import socket
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils.translation import gettext_noop

from attendance.models import Attendance
from attendance.services import review_report
from notifications import tasks
from notifications.models import Notification
from notifications.services import Notice, notify, notify_many
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.models import Roster
from scheduling.services.adjust import submit_roster
from scheduling.services.approval import approve_rosters, reject_rosters
from scheduling.services.build import build_roster
from scheduling.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)


class Inbox:
    """What the SMTP server received: (recipients, parsed message)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def subjects_for(self, address):
        return [
            str(make_header(decode_header(m["Subject"])))
            for rcpt, m in self.messages
            if address in rcpt
        ]


@pytest.fixture
def smtp(settings):
    """An SMTP server on a free port of 127.0.0.1 for the length of one test."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def person(email="", **kwargs):
    employee = EmployeeFactory(**kwargs)
    employee.user.email = email
    employee.user.save(update_fields=["email"])
    return employee


def test_a_key_gives_each_recipient_one_notice_however_often_it_is_sent():
    users = [person().user_id for _ in range(3)]
    args = {
        "kind": "test",
        "key": "k1",
        "title": gettext_noop("Jadwal minggu {week} disetujui"),
        "params": {"week": "2026-W50"},
    }
    assert notify(recipients=users, **args) == 3
    assert notify(recipients=users + users, **args) == 0
    assert Notification.objects.count() == 3
    assert Notification.objects.first().title_text == "Jadwal minggu 2026-W50 disetujui"


def test_approval_mails_every_employee_once_through_smtp_in_chunks(
    smtp, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "CHUNK", 2)  # five people: three chunks
    PolicyFactory()
    opd = OpdFactory(code="DISKOMINFO")
    staff = [person(email=f"asn{i}@bekasikota.go.id", opd=opd) for i in range(5)]
    silent = person(opd=opd)  # no address: a notice in the app, no mail
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    bkpsdm = person(role=Role.BKPSDM).user
    with django_capture_on_commit_callbacks(execute=True):
        approve_rosters(roster_ids=[roster.pk], user=bkpsdm)
    for employee in staff:
        assert smtp.subjects_for(employee.user.email) == [
            "[WFH ASN] Jadwal minggu 2026-W50 disetujui"
        ]
    _rcpt, first = smtp.messages[0]
    body = first.get_payload(decode=True).decode()
    assert "Sen, 7 Des 2026 s.d. Jum, 11 Des 2026" in body and "/jadwal/" in body
    assert Notification.objects.filter(recipient=silent.user, emailed_to="").exists()
    # A redelivered task, and the approval task once more: nothing is sent twice.
    key = Notification.objects.first().key
    assert tasks.send_notice_emails(key) == 0
    from scheduling.tasks import notify_rosters_approved

    assert notify_rosters_approved([roster.pk]) == 0
    assert len(smtp.messages) == 5


def test_approving_several_rosters_tells_each_opd_only_its_own_week_once(
    smtp, django_capture_on_commit_callbacks
):
    PolicyFactory()
    first, second, other = (OpdFactory(code=code) for code in ("DISKOMINFO", "BAPPEDA", "DISDIK"))
    staff = {
        opd.code: [
            person(email=f"{opd.code.lower()}{i}@bekasikota.go.id", opd=opd) for i in range(3)
        ]
        for opd in (first, second)
    }
    retired = person(email="pensiun@bekasikota.go.id", opd=first, active=False)
    elsewhere = person(email="disdik@bekasikota.go.id", opd=other)  # roster not approved
    build_roster(week_start=W50)
    rosters = {r.opd.code: r for r in Roster.objects.select_related("opd")}
    with django_capture_on_commit_callbacks(execute=True):
        approve_rosters(
            roster_ids=[rosters["DISKOMINFO"].pk, rosters["BAPPEDA"].pk],
            user=person(role=Role.BKPSDM).user,
        )
    for code, employees in staff.items():
        for employee in employees:
            [notice] = Notification.objects.filter(recipient=employee.user)
            assert notice.key.startswith(f"roster-approved:{rosters[code].pk}:")
            assert notice.emailed_to == employee.user.email and notice.emailed_at is not None
            assert smtp.subjects_for(employee.user.email) == [
                "[WFH ASN] Jadwal minggu 2026-W50 disetujui"
            ]
    assert not Notification.objects.filter(recipient__in=[retired.user, elsewhere.user]).exists()
    assert len(smtp.messages) == 6
    from scheduling.tasks import notify_rosters_approved

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert notify_rosters_approved([r.pk for r in rosters.values()]) == 0
    assert queued == [] and len(smtp.messages) == 6


def test_notify_many_adds_only_the_missing_notices_and_mails_each_its_own_text(
    smtp, django_capture_on_commit_callbacks
):
    a, b, c, d = (person(email=f"asn{i}@bekasikota.go.id") for i in range(4))
    title = gettext_noop("Roster {opd} minggu {week} diajukan")

    def notices(week, k1):
        return [
            Notice(
                recipients=tuple(k1),
                kind="test",
                key="k1",
                title=title,
                params={"opd": "DISKOMINFO", "week": week},
            ),
            Notice(
                recipients=(c.user_id,),
                kind="test",
                key="k2",
                title=title,
                params={"opd": "BAPPEDA", "week": week},
            ),
        ]

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_many(notices("2026-W50", [b.user_id, a.user_id, b.user_id])) == 3
    # Again with one more recipient for k1, whose notice carries the new week: only
    # that notice is added, and only its key is mailed again.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert notify_many(notices("2026-W51", [a.user_id, b.user_id, d.user_id])) == 1
    assert len(queued) == 1
    assert [(n.recipient_id, n.key) for n in Notification.objects.order_by("id")] == [
        (a.user_id, "k1"),
        (b.user_id, "k1"),
        (c.user_id, "k2"),
        (d.user_id, "k1"),
    ]
    expected = {
        a: "Roster DISKOMINFO minggu 2026-W50 diajukan",
        b: "Roster DISKOMINFO minggu 2026-W50 diajukan",
        c: "Roster BAPPEDA minggu 2026-W50 diajukan",
        d: "Roster DISKOMINFO minggu 2026-W51 diajukan",
    }
    for employee, subject in expected.items():
        assert smtp.subjects_for(employee.user.email) == [f"[WFH ASN] {subject}"]


def test_one_chunk_renders_each_distinct_text_for_its_own_recipients(smtp):
    a, b = person(email="a@bekasikota.go.id"), person(email="b@bekasikota.go.id")
    title = gettext_noop("Jadwal minggu {week} disetujui")
    for user, week in ((a.user_id, "2026-W50"), (b.user_id, "2026-W51")):
        notify(recipients=[user], kind="test", key="same", title=title, params={"week": week})
    # The queued mail waits for a commit that a test never makes: one chunk mails both.
    assert tasks.send_notice_emails("same") == 2
    assert len(smtp.messages) == 2
    assert smtp.subjects_for(a.user.email)[-1] == "[WFH ASN] Jadwal minggu 2026-W50 disetujui"
    assert smtp.subjects_for(b.user.email)[-1] == "[WFH ASN] Jadwal minggu 2026-W51 disetujui"


def test_a_rejection_tells_the_head_why(smtp, django_capture_on_commit_callbacks):
    PolicyFactory()
    opd = OpdFactory(code="DISKOMINFO")
    head = person(email="kepala@bekasikota.go.id", opd=opd, role=Role.HEAD)
    asn = person(email="asn@bekasikota.go.id", opd=opd)
    build_roster(week_start=W50)
    with django_capture_on_commit_callbacks(execute=True):
        reject_rosters(
            roster_ids=[Roster.objects.get(opd=opd).pk],
            user=person(role=Role.BKPSDM).user,
            reason="Pos layanan aduan kosong hari Rabu",
        )
    assert smtp.subjects_for(head.user.email) == [
        "[WFH ASN] Roster DISKOMINFO minggu 2026-W50 ditolak BKPSDM"
    ]
    assert smtp.subjects_for(asn.user.email) == []
    notice = Notification.objects.get(recipient=head.user)
    assert notice.body_text == "Alasan: Pos layanan aduan kosong hari Rabu"


def test_a_submission_tells_bkpsdm(django_capture_on_commit_callbacks):
    PolicyFactory()
    opd = OpdFactory(code="DISKOMINFO")
    head = person(opd=opd, role=Role.HEAD)
    bkpsdm = person(role=Role.BKPSDM)
    build_roster(week_start=W50)
    roster = Roster.objects.get(opd=opd)
    with django_capture_on_commit_callbacks(execute=True):
        submit_roster(roster=roster, user=head.user)
    [notice] = Notification.objects.filter(recipient=bkpsdm.user)
    assert notice.title_text == "Roster DISKOMINFO minggu 2026-W50 diajukan"
    assert notice.url == reverse("admin:scheduling_roster_change", args=[roster.pk])


def test_a_returned_report_reaches_the_asn_with_the_comment(
    smtp, django_capture_on_commit_callbacks
):
    opd = OpdFactory()
    head = person(opd=opd, role=Role.HEAD)
    asn = person(email="asn@bekasikota.go.id", opd=opd)
    record = Attendance.objects.create(
        employee=asn,
        opd=opd,
        date=date(2026, 12, 8),
        mode="WFH",
        status="present",
        check_in_at="2026-12-08T07:20+07:00",
        check_out_at="2026-12-08T16:05+07:00",
        report="Rapat",
        report_status="pending",
    )
    with django_capture_on_commit_callbacks(execute=True):
        review_report(
            attendance=record, reviewer=head.user, accept=False, comment="Terlalu singkat"
        )
    assert smtp.subjects_for(asn.user.email) == [
        "[WFH ASN] Laporan harian Sel, 8 Des 2026 dikembalikan"
    ]
    assert "Terlalu singkat" in Notification.objects.get(recipient=asn.user).body_text


def test_the_list_shows_only_my_notices_marks_them_read_and_the_badge_counts_unread(client, login):
    me, other = person(), person()
    for n, user in enumerate([me.user, me.user, other.user]):
        notify(
            recipients=[user.pk],
            kind="test",
            key=f"k{n}",
            title=gettext_noop("Roster {opd} minggu {week} diajukan"),
            params={"opd": f"OPD{n}", "week": "2026-W50"},
        )
    login(me.user)
    page = client.get(reverse("opd:profile")).content.decode()
    assert 'data-unread="2"' in page
    body = client.get(reverse("notifications:list")).content.decode()
    assert "Roster OPD1 minggu 2026-W50 diajukan" in body and "OPD0" in body
    assert "OPD2" not in body  # someone else's
    assert body.index("OPD1") < body.index("OPD0")  # newest first
    assert "data-unread" not in client.get(reverse("opd:profile")).content.decode()
    assert not Notification.objects.filter(recipient=me.user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other.user, read_at__isnull=True).count() == 1


def test_mark_all_read_is_a_post_and_touches_only_mine(client, login):
    me, other = person(), person()
    for user in (me.user, other.user):
        notify(recipients=[user.pk], kind="test", key="k", title=gettext_noop("Hari"))
    login(me.user)
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405
    assert client.post(reverse("notifications:mark-all-read")).status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == other.user

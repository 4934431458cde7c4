"""Requests by an ASN, decided by their head: checked first, one path into the roster."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Notification
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import (
    DayRequest,
    Leave,
    Policy,
    Roster,
    RosterChange,
    RosterEntry,
    RosterPin,
)
from scheduling.roster import Reason
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.services.changes import DayChange, change_days
from scheduling.services.requests import (
    MAX_ATTACHMENT_BYTES,
    RequestError,
    cancel_request,
    decide_request,
    preview_request,
    preview_requests,
    submit_request,
)

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
MONDAY, TUESDAY, WEDNESDAY = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)
SATURDAY, SUNDAY = date(2026, 12, 12), date(2026, 12, 13)
MORNING = "2026-12-07 07:30 +0700"  # Monday of W50
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 20
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(MORNING, tick=False):
        yield


def _approve_all():
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, name="Petugas BKPSDM")
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    return bkpsdm


@pytest.fixture
def office():
    """A head, a counter of four (three at the office), six back-office staff; W50
    approved under a 50:50 rotation (Tuesday to Friday)."""
    PolicyFactory()
    opd = OpdFactory(code="DISDUKCAPIL", name="Disdukcapil")
    post = ServicePostFactory(opd=opd, code="KTP", name="Loket KTP", min_onsite=3)
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala Dinas")
    counter = [EmployeeFactory(opd=opd, post=post, name=f"Loket {i}") for i in range(4)]
    back = [EmployeeFactory(opd=opd, name=f"Staf {i}") for i in range(6)]
    build_roster(week_start=W50)
    bkpsdm = _approve_all()
    return {
        "opd": opd,
        "head": head,
        "counter": counter,
        "back": back,
        "bkpsdm": bkpsdm,
        "roster": Roster.objects.get(opd=opd),
    }


def entry(person, day=TUESDAY):
    return RosterEntry.objects.get(employee=person, date=day)


def ask(employee, kind="sakit", start=TUESDAY, end=None, **extra):
    return submit_request(employee=employee, kind=kind, start=start, end=end or start, **extra)


# Validation: every refusal names what is wrong and writes nothing.


@pytest.mark.parametrize(
    ("kind", "start", "end", "extra", "message"),
    [
        ("izin", WEDNESDAY, TUESDAY, {}, "Tanggal selesai tidak boleh sebelum"),
        ("sakit", date(2026, 12, 3), date(2026, 12, 3), {}, "paling lambat diajukan 3 hari"),
        ("cuti", date(2026, 12, 4), date(2026, 12, 4), {"leave_kind": "tahunan"}, "sudah lewat"),
        ("dinas_luar", TUESDAY, TUESDAY, {}, None),
        ("izin", MONDAY, date(2026, 12, 14), {}, "paling lama 5 hari"),
        ("cuti", date(2027, 7, 1), date(2027, 7, 2), {"leave_kind": "tahunan"}, "180 hari"),
        ("cuti", TUESDAY, TUESDAY, {}, "Pilih jenis cuti"),
        ("cuti", TUESDAY, TUESDAY, {"leave_kind": "bersama"}, "Pilih jenis cuti"),
        ("sakit", TUESDAY, TUESDAY, {"leave_kind": "tahunan"}, "hanya diisi untuk permohonan cuti"),
        ("izin", SATURDAY, SUNDAY, {}, "Tidak ada hari kerja"),
        ("wfa", TUESDAY, TUESDAY, {}, "Tidak ada kebijakan WFA"),
        ("wfh", TUESDAY, TUESDAY, {}, "tidak membuka WFH dengan persetujuan"),
        ("libur", TUESDAY, TUESDAY, {}, "Pilih jenis permohonan"),
    ],
)
def test_a_request_that_breaks_a_rule_is_refused_with_the_reason_and_nothing_is_written(
    office, kind, start, end, extra, message
):
    asn = office["back"][0]
    if message is None:  # the control: a valid request passes
        ask(asn, kind, start, end, **extra)
        assert DayRequest.objects.count() == 1
        return
    with pytest.raises(RequestError, match=message):
        ask(asn, kind, start, end, **extra)
    assert not DayRequest.objects.exists()
    assert not Notification.objects.exists()


def test_a_request_may_not_overlap_a_pending_request_or_recorded_leave(office):
    asn = office["back"][0]
    ask(asn, "izin", TUESDAY, WEDNESDAY)
    with pytest.raises(RequestError, match="bertumpuk dengan permohonan izin"):
        ask(asn, "sakit", WEDNESDAY)
    other = office["back"][1]
    LeaveFactory(employee=other, start=WEDNESDAY, end=date(2026, 12, 11), kind="tahunan")
    with pytest.raises(RequestError, match="bertumpuk dengan cuti tahunan Rab, 9 Des 2026"):
        ask(other, "cuti", TUESDAY, WEDNESDAY, leave_kind="besar")
    # A cancelled request no longer stands in the way.
    cancel_request(request_id=DayRequest.objects.get().pk, employee=asn)
    ask(asn, "sakit", WEDNESDAY)
    assert DayRequest.objects.filter(status="pending").count() == 1


def test_a_head_or_someone_who_must_stay_at_the_office_cannot_ask_for_wfa_or_wfh(office):
    with pytest.raises(RequestError, match="Kepala OPD selalu bekerja di kantor"):
        ask(office["head"], "wfh")
    office["back"][0].wfh_eligible = False
    office["back"][0].save()
    with pytest.raises(RequestError, match="tidak dapat dikerjakan dari luar kantor"):
        ask(office["back"][0], "wfa")


# Attachments: by content, at most 2 MB, on the private storage, for the few.


def test_a_text_file_named_pdf_is_refused_whatever_the_browser_says(office):
    fake = SimpleUploadedFile("surat.pdf", b"Saya sakit, sungguh.", "application/pdf")
    with pytest.raises(RequestError, match="PDF, JPEG atau PNG"):
        ask(office["back"][0], attachment=fake)
    assert not DayRequest.objects.exists()


def test_an_attachment_over_2_mb_is_refused(office):
    big = SimpleUploadedFile("surat.png", PNG + b"\0" * (MAX_ATTACHMENT_BYTES + 1 - len(PNG)))
    with pytest.raises(RequestError, match="paling besar 2 MB"):
        ask(office["back"][0], attachment=big)
    assert not DayRequest.objects.exists()


def test_a_small_png_or_pdf_is_kept_under_a_generated_name_on_the_private_storage(
    office, _private_storage
):
    png = ask(office["back"][0], attachment=SimpleUploadedFile("foto.jpg", PNG, "image/jpeg"))
    pdf = ask(office["back"][1], attachment=SimpleUploadedFile("x", PDF, "text/plain"))
    assert png.attachment.name.startswith("lampiran/2026/12/")
    assert png.attachment.name.endswith(".png") and "foto" not in png.attachment.name
    assert pdf.attachment.name.endswith(".pdf")
    assert (_private_storage / png.attachment.name).read_bytes() == PNG


def test_the_attachment_goes_to_the_person_their_head_and_bkpsdm_only(client, login, office):
    asn, colleague = office["back"][0], office["back"][1]
    other_head = EmployeeFactory(role=Role.HEAD, opd=OpdFactory())
    request = ask(asn, attachment=SimpleUploadedFile("surat.pdf", PDF))
    url = reverse("scheduling:request-attachment", args=[request.pk])
    for viewer in (asn, office["head"], office["bkpsdm"]):
        response = login(viewer.user).get(url)
        assert response.status_code == 200, viewer
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == PDF
        client.logout()
    for viewer in (colleague, other_head):
        assert login(viewer.user).get(url).status_code == 404, viewer
        client.logout()


# Approval: the same Leave or entry change the importer or a change would make.


def test_approving_sick_leave_on_an_approved_week_records_the_leave_and_warns_of_a_short_post(
    office,
):
    head = office["head"]
    sick = next(p for p in office["counter"] if entry(p).mode == "WFO")
    at_home = [p for p in office["counter"] if entry(p).mode == "WFH"]
    request = ask(sick, "sakit", TUESDAY, WEDNESDAY, note="Demam")
    # The head is told a request is waiting.
    waiting = Notification.objects.get(kind="request_submitted")
    assert waiting.recipient == head.user and "Loket" in waiting.title_text

    preview = preview_request(request)
    assert preview.can_approve and preview.refused == []
    assert any("pos Loket KTP tinggal 2 dari 3" in w for w in preview.warnings)
    short = next(s for s in preview.short if s.date == TUESDAY)
    assert [c.employee_id for c in short.candidates] == [p.pk for p in at_home]

    decide_request(request_id=request.pk, user=head.user, approve=True, note="Semoga lekas sembuh")
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == head.user
    leave = Leave.objects.get(employee=sick)
    assert (leave.start, leave.end, leave.kind, request.leave) == (
        TUESDAY,
        WEDNESDAY,
        "sakit",
        leave,
    )
    for day in (TUESDAY, WEDNESDAY):
        assert (entry(sick, day).mode, entry(sick, day).reason) == ("LEAVE", Reason.LEAVE)
    changes = RosterChange.objects.filter(employee=sick).order_by("date")
    assert [(c.date, c.new_mode, c.kind) for c in changes] == [
        (TUESDAY, "LEAVE", "request"),
        (WEDNESDAY, "LEAVE", "request"),
    ]
    told = Notification.objects.get(kind="request_decided", recipient=sick.user)
    assert "disetujui" in told.title_text and "Semoga lekas sembuh" in told.body_text
    # A second click changes nothing.
    with pytest.raises(RequestError, match="sudah disetujui"):
        decide_request(request_id=request.pk, user=head.user, approve=True)
    assert RosterChange.objects.filter(employee=sick).count() == 2


def test_approving_leave_on_a_draft_week_rebuilds_the_draft_and_a_week_not_built_needs_nothing():
    PolicyFactory()
    opd = OpdFactory()
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    staff = [EmployeeFactory(opd=opd) for _ in range(4)]
    build_roster(week_start=W50)
    request = ask(staff[0], "cuti", TUESDAY, date(2026, 12, 15), leave_kind="tahunan")
    assert preview_request(request).notes  # "masih draf: dibangun ulang"
    decide_request(request_id=request.pk, user=head.user, approve=True)
    assert entry(staff[0]).mode == "LEAVE"
    assert Roster.objects.get(opd=opd).status == "draft"
    build_roster(week_start=date(2026, 12, 14))
    assert entry(staff[0], date(2026, 12, 15)).mode == "LEAVE"


def test_approving_wfa_under_a_wfa_policy_makes_the_day_wfa_with_the_reason_requested():
    PolicyFactory(mode="wfa", weekdays="mon,tue,wed,thu,fri")
    opd = OpdFactory()
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala Badan")
    staff = [EmployeeFactory(opd=opd) for _ in range(4)]
    build_roster(week_start=W50)
    _approve_all()
    # Recalled to the office on Tuesday, the person asks to work from anywhere again.
    recall = DayChange(staff[0].pk, TUESDAY, "WFO", Reason.RECALLED, {"by": head.name})
    change_days(opd_id=opd.pk, changes=[recall], kind="recall", user=head.user)
    request = ask(staff[0], "wfa")
    assert preview_request(request).can_approve
    decide_request(request_id=request.pk, user=head.user, approve=True)
    got = entry(staff[0])
    assert (got.mode, got.reason, got.args) == ("WFA", Reason.REQUESTED, {"mode": "WFA"})
    change = RosterChange.objects.get(kind="request")
    assert (change.old_mode, change.new_mode, change.kind) == ("WFO", "WFA", "request")


def test_a_wfh_day_under_approval_required_is_a_pin_on_a_draft_and_refused_without_a_roster():
    PolicyFactory(approval_required=True)
    opd = OpdFactory()
    head = EmployeeFactory(opd=opd, role=Role.HEAD)
    staff = [EmployeeFactory(opd=opd) for _ in range(6)]
    build_roster(week_start=W50)
    office_day = next(p for p in staff if entry(p).mode == "WFO")
    request = ask(office_day, "wfh")
    decide_request(request_id=request.pk, user=head.user, approve=True)
    assert entry(office_day).mode == "WFH"
    assert RosterPin.objects.get().employee == office_day
    later = ask(office_day, "wfh", date(2026, 12, 15))
    assert "belum dibuat" in preview_request(later).refused[0]
    with pytest.raises(RequestError, match="belum dibuat"):
        decide_request(request_id=later.pk, user=head.user, approve=True)
    later.refresh_from_db()
    assert later.status == "pending"


def test_a_wfh_request_that_would_empty_a_post_is_refused_at_approval(office):
    office_day = next(p for p in office["counter"] if entry(p).mode == "WFO")
    Policy.objects.update(approval_required=True)
    request = ask(office_day, "wfh")
    assert "pos Loket KTP tinggal 2 dari 3" in preview_request(request).refused[0]
    with pytest.raises(RequestError, match="pos Loket KTP tinggal 2 dari 3"):
        decide_request(request_id=request.pk, user=office["head"].user, approve=True)
    assert entry(office_day).mode == "WFO"


def test_a_rejection_needs_a_note_which_the_asn_is_told(office):
    asn = office["back"][0]
    request = ask(asn, "izin")
    with pytest.raises(RequestError, match="alasan penolakan"):
        decide_request(request_id=request.pk, user=office["head"].user, approve=False)
    request.refresh_from_db()
    assert request.status == "pending"
    decide_request(
        request_id=request.pk, user=office["head"].user, approve=False, note="Rapat penting"
    )
    request.refresh_from_db()
    assert (request.status, request.decision_note) == ("rejected", "Rapat penting")
    assert not Leave.objects.exists()
    told = Notification.objects.get(kind="request_decided")
    assert "ditolak" in told.title_text and "Rapat penting" in told.body_text


def test_a_head_cannot_decide_their_own_request_but_bkpsdm_can(office):
    head = office["head"]
    request = ask(head, "cuti", WEDNESDAY, leave_kind="tahunan")
    # BKPSDM is told, not the head themselves.
    assert list(
        Notification.objects.filter(kind="request_submitted").values_list("recipient", flat=True)
    ) == [office["bkpsdm"].user.pk]
    with pytest.raises(RequestError, match="diputuskan oleh BKPSDM"):
        decide_request(request_id=request.pk, user=head.user, approve=True)
    decide_request(request_id=request.pk, user=office["bkpsdm"].user, approve=True)
    assert entry(head, WEDNESDAY).mode == "LEAVE"


def test_a_head_of_another_opd_or_an_asn_cannot_decide(office):
    request = ask(office["back"][0], "izin")
    other_head = EmployeeFactory(role=Role.HEAD, opd=OpdFactory())
    for user in (other_head.user, office["back"][1].user):
        with pytest.raises(RequestError, match="Hanya Kepala OPD"):
            decide_request(request_id=request.pk, user=user, approve=True)


def test_only_a_pending_request_of_ones_own_can_be_cancelled(office):
    asn = office["back"][0]
    request = ask(asn, "izin")
    with pytest.raises(DayRequest.DoesNotExist):
        cancel_request(request_id=request.pk, employee=office["back"][1])
    cancel_request(request_id=request.pk, employee=asn)
    with pytest.raises(RequestError, match="dibatalkan"):
        cancel_request(request_id=request.pk, employee=asn)
    # The head who was asked to decide it is told it is withdrawn.
    from notifications.models import Notification

    told = Notification.objects.filter(kind="request_cancelled")
    assert list(told.values_list("recipient_id", flat=True)) == [office["head"].user_id]


# Pages.


def test_asn_submits_through_the_page_and_sees_the_status(client, login, office):
    asn = office["back"][0]
    login(asn.user)
    url = reverse("scheduling:requests")
    response = client.post(
        url,
        {
            "kind": "sakit",
            "start": "2026-12-08",
            "end": "2026-12-08",
            "note": "Demam",
            "attachment": SimpleUploadedFile("surat.png", PNG),
        },
    )
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "menunggu keputusan" in body and "Demam" in body and "Batalkan" in body
    request = DayRequest.objects.get()
    response = client.post(reverse("scheduling:request-cancel", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "31-02-2026", "end": "2026-12-08"}, "tanggal yang valid"),
        ({"attachment": ("surat.pdf", b"bukan pdf")}, "PDF, JPEG atau PNG"),
        ({"attachment": ("surat.png", PNG + b"\0" * MAX_ATTACHMENT_BYTES)}, "paling besar 2 MB"),
        ({"kind": "wfa"}, "Tidak ada kebijakan WFA"),
    ],
)
def test_bad_input_on_the_page_gives_the_reason_and_writes_nothing(
    client, login, office, data, message
):
    form = {"kind": "sakit", "start": "2026-12-08", "end": "2026-12-08"}
    if "attachment" in data:
        name, content = data.pop("attachment")
        form["attachment"] = SimpleUploadedFile(name, content)
    form.update(data)
    response = login(office["back"][0].user).post(reverse("scheduling:requests"), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DayRequest.objects.exists()


def test_head_sees_the_preview_with_candidates_and_decides_on_the_page(client, login, office):
    sick = next(p for p in office["counter"] if entry(p).mode == "WFO")
    candidate = next(p for p in office["counter"] if entry(p).mode == "WFH")
    request = ask(sick, "sakit")
    login(office["head"].user)
    page = reverse("scheduling:opd-requests", args=[office["opd"].code])
    body = client.get(page).content.decode()
    assert sick.name in body and "pos Loket KTP tinggal 2 dari 3" in body
    assert f'data-candidate="{candidate.pk}"' in body
    decide = reverse("scheduling:opd-request-decide", args=[office["opd"].code, request.pk])
    response = client.post(decide, {"decision": "tolak", "note": ""}, follow=True)
    assert "alasan penolakan" in response.content.decode()
    response = client.post(decide, {"decision": "setujui"}, follow=True)
    assert "disetujui" in response.content.decode()
    assert entry(sick).mode == "LEAVE"


def test_a_forged_request_id_on_the_head_pages_is_404(client, login, office):
    other_opd = OpdFactory()
    stranger = EmployeeFactory(opd=other_opd)
    foreign = ask(stranger, "izin")
    login(office["head"].user)
    decide = reverse("scheduling:opd-request-decide", args=[office["opd"].code, foreign.pk])
    assert client.post(decide, {"decision": "setujui"}).status_code == 404
    assert client.post(reverse("scheduling:request-cancel", args=[foreign.pk])).status_code == 404
    other = reverse("scheduling:opd-request-decide", args=[other_opd.code, foreign.pk])
    assert client.post(other, {"decision": "setujui"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "pending"


W51_MONDAY, W51_FRIDAY = date(2026, 12, 14), date(2026, 12, 18)


def _many_pending(office, count):
    """``count`` pending requests of every kind the preview treats apart, on two approved
    weeks (W50, W51), a draft (W52) and a week not built (W53): the first two already
    reach every query (a post left short with candidates, a rule broken by a named
    person, a WFH day), the others add people, weeks, kinds and notes."""
    Policy.objects.update(approval_required=True)
    build_roster(week_start=W51_MONDAY)
    approve_rosters(
        roster_ids=list(Roster.objects.filter(status="draft").values_list("pk", flat=True)),
        user=office["bkpsdm"].user,
    )
    build_roster(week_start=date(2026, 12, 21))
    counter, back = office["counter"], office["back"]
    at_office = [p for p in counter if entry(p).mode == "WFO"]
    back_at_office = next(p for p in back if entry(p).mode == "WFO")
    thursday, friday = date(2026, 12, 10), date(2026, 12, 11)
    others = [p for p in back if p != back_at_office]
    specs = [
        (at_office[0], "sakit", TUESDAY, TUESDAY, {}),
        (back_at_office, "wfh", TUESDAY, TUESDAY, {}),
        (at_office[1], "izin", WEDNESDAY, thursday, {}),
        (others[0], "cuti", W51_MONDAY, date(2026, 12, 22), {"leave_kind": "tahunan"}),
        (others[1], "dinas_luar", thursday, W51_FRIDAY, {}),
        (others[2], "wfh", date(2026, 12, 22), date(2026, 12, 22), {}),
        (others[3], "sakit", WEDNESDAY, WEDNESDAY, {}),
        (office["head"], "sakit", friday, friday, {}),
        (at_office[2], "cuti", W51_MONDAY, W51_MONDAY, {"leave_kind": "tahunan"}),
        (others[4], "wfh", date(2026, 12, 15), date(2026, 12, 16), {}),
        (others[1], "wfh", date(2026, 12, 29), date(2026, 12, 29), {}),
        (back_at_office, "izin", date(2026, 12, 17), date(2026, 12, 17), {}),
    ]
    assert count <= len(specs)
    made = [ask(person, kind, start, end, **extra) for person, kind, start, end, extra in specs]
    made = made[:count]
    DayRequest.objects.exclude(pk__in=[r.pk for r in made]).delete()
    # Someone who may no longer work from home asked for a WFH day: a named rule broken.
    back_at_office.wfh_eligible = False
    back_at_office.save()
    return made


def _one_by_one(request):
    """The preview as ``check_days`` gives it, request by request (the oracle)."""
    from scheduling.selectors import recall_candidates
    from scheduling.services.changes import check_days
    from scheduling.services.requests import (
        LEAVE_TOLERATE,
        REMOTE_KINDS,
        _leave_changes,
        _leave_kind,
        _remote_plan,
    )

    refused, warnings, short = [], [], []
    if request.kind in REMOTE_KINDS:
        _mode, changes, _drafts, missing = _remote_plan(request)
        refused += missing
        if changes:
            refused += check_days(opd_id=request.employee.opd_id, changes=changes).refused
        return refused, warnings, short
    clash = Leave.objects.filter(
        employee_id=request.employee_id, start__lte=request.end, end__gte=request.start
    ).exists()
    refused += ["clash"] if clash else []
    for opd_id, changes in _leave_changes(request, _leave_kind(request)).items():
        checked = check_days(opd_id=opd_id, changes=changes, tolerate=LEAVE_TOLERATE)
        refused += checked.refused
        for violation, text in zip(checked.tolerated, checked.warnings, strict=True):
            warnings.append(text)
            if violation.rule == "post_minimum" and violation.post_id:
                people = recall_candidates(violation.post_id, opd_id, violation.date)
                short.append(
                    (
                        violation.date,
                        [c.employee_id for c in people if c.employee_id != request.employee_id],
                    )
                )
    return refused, warnings, short


def test_the_batched_previews_say_what_check_days_says_for_each_request(office):
    made = _many_pending(office, 12)
    at_home = next(p for p in office["counter"] if entry(p).mode == "WFH")
    ask(at_home, "sakit", date(2026, 12, 16), date(2026, 12, 18))
    LeaveFactory(employee=at_home, start=date(2026, 12, 17), end=date(2026, 12, 17))  # a clash
    requests = list(DayRequest.objects.select_related("employee__opd").order_by("pk"))
    previews = preview_requests(requests)
    assert len(previews) == len(made) + 1
    kinds = {"short": 0, "refused": 0, "notes": 0}
    for request in requests:
        preview = previews[request.pk]
        refused, warnings, short = _one_by_one(request)
        if refused[:1] == ["clash"]:
            assert preview.refused[0].startswith("Sudah tercatat")
            refused, got = refused[1:], preview.refused[1:]
        else:
            got = preview.refused
        assert (got, preview.warnings) == (refused, warnings), request
        assert [(s.date, [c.employee_id for c in s.candidates]) for s in preview.short] == short
        assert preview == preview_request(request)
        kinds["short"] += bool(short and short[0][1])
        kinds["refused"] += bool(preview.refused)
        kinds["notes"] += bool(preview.notes)
    # The set reaches the branches: a short post with candidates, refusals, notes.
    assert kinds["short"] and kinds["refused"] >= 2 and kinds["notes"]
    wfh = previews[made[1].pk]
    assert any("tidak dapat dikerjakan dari rumah" in r for r in wfh.refused)


@pytest.mark.parametrize("count", [2, 12])
def test_the_heads_page_costs_the_same_queries_for_2_or_12_pending_requests(
    client, login, office, django_assert_num_queries, count
):
    made = _many_pending(office, count)
    login(office["head"].user)
    page = reverse("scheduling:opd-requests", args=[office["opd"].code])
    # session, user+employee, the OPD, pending count, the pending requests, the decided
    # ones, unread notices; the previews of the page, at once: holidays, recorded leave,
    # the people's roster days, the remote requests' rosters, those rosters' entries, the
    # weeks' eight inputs, the names in the reasons, the recall candidates.
    with django_assert_num_queries(7 + 15):
        body = client.get(page).content.decode()
    assert all(f'data-request="{r.pk}"' in body for r in made)
    assert "pos Loket KTP tinggal 2 dari 3" in body and "data-candidate=" in body


def test_the_pending_list_is_paged_and_a_decision_returns_to_its_page(client, login, office):
    from scheduling import request_views

    made = _many_pending(office, 12)
    login(office["head"].user)
    page = reverse("scheduling:opd-requests", args=[office["opd"].code])
    per_page = request_views.PENDING_PER_PAGE
    request_views.PENDING_PER_PAGE = 5
    try:
        first = client.get(page).content.decode()
        third = client.get(page, {"page": 3}).content.decode()
        assert "Halaman 1 dari 3" in first and "12 permohonan menunggu" in first
        shown = [r for r in made if f'data-request="{r.pk}"' in third]
        assert len(shown) == 2 and not any(f'data-request="{r.pk}"' in first for r in shown)
        decide = reverse("scheduling:opd-request-decide", args=[office["opd"].code, shown[0].pk])
        response = client.post(decide, {"decision": "tolak", "note": "Tidak", "page": 3})
        assert response.status_code == 302 and response["Location"] == f"{page}?page=3"
    finally:
        request_views.PENDING_PER_PAGE = per_page


def test_the_asn_list_page_has_a_fixed_number_of_queries(
    client, login, office, django_assert_num_queries
):
    asn = office["back"][0]
    for day in (TUESDAY, WEDNESDAY, date(2026, 12, 10)):
        ask(asn, "izin", day)
    login(asn.user)
    # session, user+employee, the requests with their deciders, unread notices
    with django_assert_num_queries(4):
        assert client.get(reverse("scheduling:requests")).status_code == 200


def test_bkpsdm_sees_the_heads_requests_and_the_opd_chooser_at_a_fixed_cost(
    client, login, office, django_assert_num_queries
):
    _many_pending(office, 12)
    login(office["bkpsdm"].user)
    page = reverse("scheduling:opd-requests", args=[office["opd"].code])
    # The head's page, plus the heads' own pending requests and the OPD chooser.
    with django_assert_num_queries(7 + 15 + 2):
        body = client.get(page).content.decode()
    assert 'id="heads-pending"' in body and office["head"].name in body


def test_bkpsdm_reads_requests_in_the_admin_but_cannot_add_or_edit_them(client, login, office):
    request = ask(office["back"][0], attachment=SimpleUploadedFile("surat.png", PNG))
    login(office["bkpsdm"].user)
    listing = reverse("admin:scheduling_dayrequest_changelist")
    body = client.get(listing, {"status": "pending", "kind": "sakit", "q": "Staf 0"})
    assert body.status_code == 200 and "Staf 0" in body.content.decode()
    assert "Staf 1" not in client.get(listing, {"q": office["back"][0].nip}).content.decode()
    page = client.get(reverse("admin:scheduling_dayrequest_change", args=[request.pk]))
    assert page.status_code == 200
    assert reverse("scheduling:request-attachment", args=[request.pk]) in page.content.decode()
    assert client.get(reverse("admin:scheduling_dayrequest_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:scheduling_dayrequest_change", args=[request.pk]), {}
        ).status_code
        == 403
    )

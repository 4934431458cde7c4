"""Swap requests: two colleagues trade a day, the head decides, the roster keeps its rules."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterChange, RosterEntry, Swap
from scheduling.roster import Reason
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.services.changes import DayChange, change_days, check_days
from scheduling.services.swaps import (
    SwapError,
    answer_swap,
    cancel_swap,
    decide_swap,
    previews,
    propose_swap,
)

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)
WEDNESDAY = date(2026, 12, 9)


@pytest.fixture(autouse=True)
def monday_morning():
    """Monday 7 December 2026, 08:00 WIB: the whole week is still to come."""
    with time_machine.travel("2026-12-07 08:00 +0700", tick=False) as traveller:
        yield traveller


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a step queues for after its commit (the notices): a test's transaction
    never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def office():
    """A counter of four (three at the office), six back-office staff, approved."""
    PolicyFactory()
    opd = OpdFactory(code="DISDUKCAPIL", name="Disdukcapil")
    post = ServicePostFactory(opd=opd, code="KTP", name="Loket KTP", min_onsite=3)
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala Dinas")
    counter = [EmployeeFactory(opd=opd, post=post, name=f"Loket {i}") for i in range(4)]
    back = [EmployeeFactory(opd=opd, name=f"Staf {i}") for i in range(6)]
    build_roster(week_start=W50)
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, name="Petugas BKPSDM")
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    return {
        "roster": Roster.objects.get(opd=opd),
        "head": head,
        "counter": counter,
        "back": back,
        "bkpsdm": bkpsdm,
    }


def entry(person, day=TUESDAY):
    return RosterEntry.objects.get(employee=person, date=day)


def pair(people, day=TUESDAY):
    """One of ``people`` at the office and one at home on ``day``."""
    at_office = next(p for p in people if entry(p, day).mode == "WFO")
    at_home = next(p for p in people if entry(p, day).mode == "WFH")
    return at_office, at_home


def notices(person, kind):
    return Notification.objects.filter(recipient=person.user, kind=kind)


def accepted_swap(office, day=TUESDAY, note="Anak sakit"):
    proposer, partner = pair(office["back"], day)
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=day, note=note)
    answer_swap(swap_id=swap.pk, partner=partner, accept=True)
    return swap, proposer, partner


# The happy path ------------------------------------------------------------------------


def test_an_approved_swap_trades_both_entries_logs_them_and_moves_the_balances(office, committed):
    roster, head = office["roster"], office["head"]
    proposer, partner = pair(office["back"])
    before = dict(roster.balances)

    with committed():
        swap = propose_swap(
            proposer=proposer, partner_id=partner.pk, day=TUESDAY, note="Anak sakit"
        )
    assert (swap.status, swap.proposer_mode, swap.partner_mode) == ("proposed", "WFO", "WFH")
    assert notices(partner, "swap_proposed").count() == 1

    with committed():
        answer_swap(swap_id=swap.pk, partner=partner, accept=True)
    assert notices(proposer, "swap_answered").get().title_text == (
        f"{partner.name} menerima tukar jadwal Sel, 8 Des 2026"
    )
    waiting = notices(head, "swap_waiting").get()
    assert waiting.url == "/roster/DISDUKCAPIL/tukar/"

    with committed():
        decide_swap(swap_id=swap.pk, user=head.user, approve=True, note="")
    swap.refresh_from_db()
    assert (swap.status, swap.decided_by) == ("approved", head.user)
    mine, theirs = entry(proposer), entry(partner)
    assert (mine.mode, mine.reason, mine.args) == ("WFH", Reason.SWAPPED, {"with": partner.name})
    assert (theirs.mode, theirs.reason, theirs.args) == (
        "WFO",
        Reason.SWAPPED,
        {"with": proposer.name},
    )
    log = {c.employee_id: c for c in RosterChange.objects.all()}
    assert set(log) == {proposer.pk, partner.pk}
    assert (log[proposer.pk].old_mode, log[proposer.pk].new_mode) == ("WFO", "WFH")
    assert {c.kind for c in log.values()} == {"swap"}
    assert log[proposer.pk].note == "Anak sakit" and log[proposer.pk].changed_by == head.user
    roster.refresh_from_db()
    assert roster.status == "approved"
    assert roster.balances[str(proposer.pk)] == pytest.approx(before[str(proposer.pk)] + 1)
    assert roster.balances[str(partner.pk)] == pytest.approx(before[str(partner.pk)] - 1)
    for person in (proposer, partner):
        assert (
            notices(person, "swap_decided").get().title_text
            == "Tukar jadwal Sel, 8 Des 2026 disetujui"
        )


def test_a_swap_works_on_a_submitted_week_and_for_today(office, monday_morning):
    roster = office["roster"]
    Roster.objects.filter(pk=roster.pk).update(status="submitted", decided_by=None, decided_at=None)
    monday_morning.move_to("2026-12-08 15:00 +0700")
    swap, proposer, _partner = accepted_swap(office)
    decide_swap(swap_id=swap.pk, user=office["head"].user, approve=True)
    assert entry(proposer).mode == "WFH"


def test_a_declined_swap_tells_the_proposer_and_changes_nothing(office, committed):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    with committed():
        answer_swap(swap_id=swap.pk, partner=partner, accept=False)
    swap.refresh_from_db()
    assert swap.status == "declined" and swap.answered_at is not None
    assert (
        notices(proposer, "swap_answered")
        .get()
        .title_text.endswith("menolak tukar jadwal Sel, 8 Des 2026")
    )
    assert not notices(office["head"], "swap_waiting").exists()
    assert entry(proposer).mode == "WFO" and not RosterChange.objects.exists()


def test_a_rejected_swap_needs_a_reason_and_tells_both(office, committed):
    swap, proposer, partner = accepted_swap(office)
    with pytest.raises(SwapError, match="Tuliskan alasan penolakan"):
        decide_swap(swap_id=swap.pk, user=office["head"].user, approve=False, note="  ")
    with committed():
        decide_swap(swap_id=swap.pk, user=office["head"].user, approve=False, note="Rapat evaluasi")
    swap.refresh_from_db()
    assert (swap.status, swap.decision_note) == ("rejected", "Rapat evaluasi")
    for person in (proposer, partner):
        assert notices(person, "swap_decided").get().body_text == "Alasan: Rapat evaluasi"
    assert entry(proposer).mode == "WFO" and not RosterChange.objects.exists()


def test_the_proposer_cancels_an_open_swap_and_the_colleague_is_told(office, committed):
    with committed():
        swap, proposer, partner = accepted_swap(office)
    with committed():
        cancel_swap(swap_id=swap.pk, proposer=proposer)
    assert Swap.objects.get().status == "cancelled"
    assert notices(partner, "swap_cancelled").count() == 1
    # The head it was waiting for hears it is withdrawn too.
    assert notices(office["head"], "swap_cancelled").count() == 1
    with pytest.raises(SwapError, match="sudah berstatus dibatalkan"):
        decide_swap(swap_id=swap.pk, user=office["head"].user, approve=True)
    with pytest.raises(SwapError, match="sudah berstatus dibatalkan"):
        cancel_swap(swap_id=swap.pk, proposer=proposer)


def test_a_second_approval_applies_nothing_twice(office):
    swap, _proposer, _partner = accepted_swap(office)
    decide_swap(swap_id=swap.pk, user=office["head"].user, approve=True)
    with pytest.raises(SwapError, match="sudah berstatus disetujui"):
        decide_swap(swap_id=swap.pk, user=office["head"].user, approve=True)
    assert RosterChange.objects.count() == 2


def test_notices_are_sent_once_per_step(office, committed):
    from scheduling.services import notices as sent

    with committed():
        swap, _proposer, partner = accepted_swap(office)
    swap = Swap.objects.select_related("proposer", "partner", "opd").get(pk=swap.pk)
    assert sent.swap_proposed(swap) == 0 and sent.swap_answered(swap) == 0
    assert notices(partner, "swap_proposed").count() == 1


def test_an_opd_without_a_head_sends_the_waiting_swap_to_bkpsdm(office, committed):
    office["head"].active = False
    office["head"].save()
    with committed():
        accepted_swap(office)
    assert notices(office["bkpsdm"], "swap_waiting").count() == 1


# Refusals ------------------------------------------------------------------------------


def test_a_colleague_of_another_post_is_refused(office):
    clerk = next(p for p in office["counter"] if entry(p).mode == "WFH")
    staff = next(p for p in office["back"] if entry(p).mode == "WFO")
    with pytest.raises(SwapError, match=f"{clerk.name} bukan rekan satu pos"):
        propose_swap(proposer=staff, partner_id=clerk.pk, day=TUESDAY)
    assert not Swap.objects.exists()


def test_someone_of_another_opd_or_a_forged_id_is_not_found(office):
    stranger = EmployeeFactory(opd=OpdFactory(code="BAPPEDA"))
    staff = office["back"][0]
    for partner_id in (stranger.pk, 999_999):
        with pytest.raises(SwapError, match="Rekan itu tidak ditemukan di OPD Anda"):
            propose_swap(proposer=staff, partner_id=partner_id, day=TUESDAY)
    with pytest.raises(SwapError, match="diri sendiri"):
        propose_swap(proposer=staff, partner_id=staff.pk, day=TUESDAY)


def test_a_past_day_is_refused_at_every_step(office, monday_morning):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    monday_morning.move_to("2026-12-09 07:00 +0700")
    with pytest.raises(SwapError, match="Sel, 8 Des 2026 sudah lewat"):
        answer_swap(swap_id=swap.pk, partner=partner, accept=True)
    with pytest.raises(SwapError, match="sudah lewat"):
        propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    # Declining a past swap, and rejecting one, still close it.
    answer_swap(swap_id=swap.pk, partner=partner, accept=False)


def test_a_past_accepted_swap_cannot_be_approved_but_can_be_rejected(office, monday_morning):
    swap, proposer, _partner = accepted_swap(office)
    monday_morning.move_to("2026-12-09 07:00 +0700")
    with pytest.raises(SwapError, match="sudah lewat"):
        decide_swap(swap_id=swap.pk, user=office["head"].user, approve=True)
    decide_swap(swap_id=swap.pk, user=office["head"].user, approve=False, note="Kedaluwarsa")
    assert entry(proposer).mode == "WFO"


def test_a_draft_week_is_refused(office):
    Roster.objects.update(status="draft", decided_by=None, decided_at=None)
    proposer, partner = pair(office["back"])
    with pytest.raises(SwapError, match="belum diajukan atau disetujui"):
        propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)


def test_the_same_mode_is_refused(office):
    back = office["back"]
    home = [p for p in back if entry(p).mode == "WFH"]
    with pytest.raises(SwapError, match="sama-sama WFH pada Sel, 8 Des 2026"):
        propose_swap(proposer=home[0], partner_id=home[1].pk, day=TUESDAY)
    # Monday is the policy's office day: everybody is WFO.
    with pytest.raises(SwapError, match="sama-sama WFO"):
        propose_swap(proposer=back[0], partner_id=back[1].pk, day=W50)


def test_a_day_on_leave_is_refused(office):
    back = office["back"]
    LeaveFactory(employee=back[0], start=WEDNESDAY, end=WEDNESDAY, kind="sakit")
    build_roster(week_start=W50)  # approved: not rebuilt; the entry is set by hand below
    RosterEntry.objects.filter(employee=back[0], date=WEDNESDAY).update(
        mode="LEAVE", reason=Reason.LEAVE
    )
    with pytest.raises(SwapError, match=f"{back[0].name} tidak bekerja pada Rab, 9 Des 2026"):
        propose_swap(proposer=back[1], partner_id=back[0].pk, day=WEDNESDAY)


def test_only_one_open_swap_per_person_and_day(office):
    swap, proposer, partner = accepted_swap(office)
    others = [p for p in office["back"] if p not in (proposer, partner)]
    someone_home = next(p for p in others if entry(p).mode == "WFH")
    with pytest.raises(SwapError, match=f"{proposer.name} sudah punya tukar jadwal"):
        propose_swap(proposer=proposer, partner_id=someone_home.pk, day=TUESDAY)
    someone_at_office = next(p for p in others if entry(p).mode == "WFO")
    with pytest.raises(SwapError, match=f"{partner.name} sudah punya tukar jadwal"):
        propose_swap(proposer=someone_at_office, partner_id=partner.pk, day=TUESDAY)
    # Once decided, the day is free for another swap.
    decide_swap(swap_id=swap.pk, user=office["head"].user, approve=False, note="Tidak")
    propose_swap(proposer=someone_at_office, partner_id=partner.pk, day=TUESDAY)


def test_a_swap_the_rules_refuse_is_refused_with_the_rule(office):
    staff = office["back"]
    at_office, at_home = pair(staff)
    at_office.wfh_eligible = False
    at_office.save()
    with pytest.raises(
        SwapError, match=f"aturan roster: tugas {at_office.name} tidak dapat dikerjakan dari rumah"
    ):
        propose_swap(proposer=at_office, partner_id=at_home.pk, day=TUESDAY)


def test_the_rules_are_checked_again_when_the_colleague_accepts(office):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    proposer.wfh_eligible = False
    proposer.save()
    with pytest.raises(SwapError, match="tidak dapat dikerjakan dari rumah"):
        answer_swap(swap_id=swap.pk, partner=partner, accept=True)
    assert Swap.objects.get().status == "proposed"


def test_a_swap_whose_day_changed_since_it_was_proposed_is_stale(office):
    swap, proposer, partner = accepted_swap(office)
    change_days(
        opd_id=swap.opd_id,
        changes=[DayChange(partner.pk, TUESDAY, "WFO", Reason.RECALLED, {"by": "Kepala"})],
        kind=RosterChange.Kind.RECALL,
        user=office["head"].user,
        tolerate={"too_few_remote"},
    )
    with pytest.raises(SwapError, match="sudah berubah sejak tukar jadwal diajukan"):
        decide_swap(swap_id=swap.pk, user=office["head"].user, approve=True)
    [problem] = previews(swap.opd_id, [Swap.objects.get()])[swap.pk]
    assert f"{partner.name} kini WFO" in problem


def test_only_the_head_of_the_opd_or_bkpsdm_decides_and_never_a_party(office):
    swap, proposer, _partner = accepted_swap(office)
    other_head = EmployeeFactory(opd=OpdFactory(code="BAPPEDA"), role=Role.HEAD)
    for user in (other_head.user, proposer.user, office["counter"][0].user):
        with pytest.raises(SwapError, match="tidak dapat memutuskan"):
            decide_swap(swap_id=swap.pk, user=user, approve=True)
    decide_swap(swap_id=swap.pk, user=office["bkpsdm"].user, approve=True)
    assert entry(proposer).mode == "WFH"


def test_only_the_colleague_answers_and_only_the_proposer_cancels(office):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    with pytest.raises(SwapError, match="tidak ditemukan"):
        answer_swap(swap_id=swap.pk, partner=proposer, accept=True)
    with pytest.raises(SwapError, match="tidak ditemukan"):
        cancel_swap(swap_id=swap.pk, proposer=partner)
    answer_swap(swap_id=swap.pk, partner=partner, accept=True)
    with pytest.raises(SwapError, match="sudah berstatus menunggu Kepala OPD"):
        answer_swap(swap_id=swap.pk, partner=partner, accept=False)


def test_the_head_preview_says_what_check_days_says(office):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    answer_swap(swap_id=swap.pk, partner=partner, accept=True)
    assert previews(swap.opd_id, [swap]) == {swap.pk: []}
    proposer.wfh_eligible = False
    proposer.save()
    changes = [
        DayChange(proposer.pk, TUESDAY, "WFH", Reason.SWAPPED, {"with": partner.name}),
        DayChange(partner.pk, TUESDAY, "WFO", Reason.SWAPPED, {"with": proposer.name}),
    ]
    expected = check_days(opd_id=swap.opd_id, changes=changes).refused
    assert expected and previews(swap.opd_id, [swap]) == {swap.pk: expected}


# Pages ---------------------------------------------------------------------------------


def test_the_asn_proposes_on_the_page_seeing_each_colleagues_mode(client, login, office):
    proposer, partner = pair(office["back"])
    login(proposer.user)
    page = client.get(reverse("scheduling:swaps")).content.decode()
    assert "Sel, 8 Des · Anda WFO" in page
    assert f"Sel, 8 Des: {partner.name} (WFH)" in page
    # Colleagues of the counter are not offered to the back office.
    assert office["counter"][0].name not in page
    answer = client.post(
        reverse("scheduling:swaps"), {"choice": f"2026-12-08:{partner.pk}", "note": "Ke dokter"}
    )
    assert answer.status_code == 302
    swap = Swap.objects.get()
    assert (swap.proposer, swap.partner, swap.note) == (proposer, partner, "Ke dokter")
    page = client.get(reverse("scheduling:swaps")).content.decode()
    assert f"Ajakan tukar jadwal pada Sel, 8 Des 2026 dikirim ke {partner.name}" in page
    assert "menunggu rekan" in page and "Batalkan" in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"choice": "kemarin"},
        {"choice": "2026-02-30:1"},
        {"choice": "2026-12-08:abc"},
        {"choice": "2026-12-08:1", "note": "x" * 301},
    ],
)
def test_bad_proposal_input_gives_a_message_and_writes_nothing(client, login, office, data):
    login(office["back"][0].user)
    answer = client.post(reverse("scheduling:swaps"), data, follow=True)
    assert answer.status_code == 200
    assert "Pilih hari dan rekan dari daftar" in answer.content.decode()
    assert not Swap.objects.exists()


def test_a_forged_colleague_gives_a_message_and_writes_nothing(client, login, office):
    stranger = EmployeeFactory(opd=OpdFactory(code="BAPPEDA"))
    login(office["back"][0].user)
    answer = client.post(
        reverse("scheduling:swaps"), {"choice": f"2026-12-08:{stranger.pk}"}, follow=True
    )
    assert "Rekan itu tidak ditemukan di OPD Anda" in answer.content.decode()
    assert not Swap.objects.exists()


def test_the_colleague_accepts_and_the_proposer_cancels_on_the_page(client, login, office):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY, note="Ke dokter")
    login(partner.user)
    page = client.get(reverse("scheduling:swaps")).content.decode()
    assert f"{proposer.name} (WFO) ingin bertukar dengan Anda (WFH)" in page
    assert "Ke dokter" in page
    url = reverse("scheduling:swap-answer", args=[swap.pk])
    answer = client.post(url, {"answer": "bingung"}, follow=True)
    assert "Pilih terima atau tolak." in answer.content.decode()
    answer = client.post(url, {"answer": "terima"}, follow=True)
    assert "kini menunggu persetujuan Kepala OPD" in answer.content.decode()
    # The partner cannot cancel what they did not propose: 404.
    assert client.post(reverse("scheduling:swap-cancel", args=[swap.pk])).status_code == 404
    client.logout()
    login(proposer.user)
    assert client.post(url, {"answer": "tolak"}).status_code == 404
    answer = client.post(reverse("scheduling:swap-cancel", args=[swap.pk]), follow=True)
    assert "Tukar jadwal dibatalkan." in answer.content.decode()
    assert Swap.objects.get().status == "cancelled"


def test_someone_elses_swap_answers_404(client, login, office):
    proposer, partner = pair(office["back"])
    swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=TUESDAY)
    login(
        office["back"][-1].user
        if office["back"][-1] not in (proposer, partner)
        else office["counter"][0].user
    )
    for name in ("scheduling:swap-answer", "scheduling:swap-cancel"):
        assert client.post(reverse(name, args=[swap.pk]), {"answer": "terima"}).status_code == 404
        assert client.post(reverse(name, args=[987654]), {"answer": "terima"}).status_code == 404
    assert Swap.objects.get().status == "proposed"


def test_the_head_sees_the_rule_check_and_approves_or_rejects(client, login, office):
    swap, proposer, partner = accepted_swap(office)
    login(office["head"].user)
    url = reverse("scheduling:opd-swaps", args=["DISDUKCAPIL"])
    page = client.get(url).content.decode()
    assert f"{proposer.name} (WFO) ⇄ {partner.name} (WFH)" in page
    assert "Aturan roster terpenuhi bila disetujui." in page and "Anak sakit" in page
    decide = reverse("scheduling:opd-swap-decide", args=["DISDUKCAPIL", swap.pk])
    answer = client.post(decide, {"decision": "tolak", "note": ""}, follow=True)
    assert "Tuliskan alasan penolakan" in answer.content.decode()
    answer = client.post(decide, {"decision": "hapus"}, follow=True)
    assert "Pilih setujui atau tolak" in answer.content.decode()
    assert Swap.objects.get().status == "accepted"
    answer = client.post(decide, {"decision": "setujui"}, follow=True)
    page = answer.content.decode()
    assert (
        f"Tukar jadwal {proposer.name} dan {partner.name} disetujui; roster sudah diubah." in page
    )
    assert "Tidak ada tukar jadwal yang menunggu keputusan." in page
    assert entry(proposer).mode == "WFH"


def test_the_head_sees_why_a_swap_cannot_be_approved_and_no_approve_button(client, login, office):
    swap, proposer, _partner = accepted_swap(office)
    proposer.wfh_eligible = False
    proposer.save()
    login(office["head"].user)
    page = client.get(reverse("scheduling:opd-swaps", args=["DISDUKCAPIL"])).content.decode()
    assert "Tidak dapat disetujui sekarang:" in page
    assert f"tugas {proposer.name} tidak dapat dikerjakan dari rumah" in page
    assert 'value="setujui"' not in page and 'value="tolak"' in page


def test_another_opds_head_gets_404_and_a_forged_swap_id_too(client, login, office):
    swap, _proposer, _partner = accepted_swap(office)
    other = EmployeeFactory(opd=OpdFactory(code="BAPPEDA"), role=Role.HEAD)
    login(other.user)
    assert client.get(reverse("scheduling:opd-swaps", args=["DISDUKCAPIL"])).status_code == 404
    decide = reverse("scheduling:opd-swap-decide", args=["DISDUKCAPIL", swap.pk])
    assert client.post(decide, {"decision": "setujui"}).status_code == 404
    # Their own OPD's URL with this OPD's swap id: 404 as well.
    forged = reverse("scheduling:opd-swap-decide", args=["BAPPEDA", swap.pk])
    assert client.post(forged, {"decision": "setujui"}).status_code == 404
    assert Swap.objects.get().status == "accepted"


def _swaps_in_week_51(people, days, limit=None) -> int:
    made = 0
    for day in days:
        entries = dict(
            RosterEntry.objects.filter(date=day, employee__in=people).values_list(
                "employee_id", "mode"
            )
        )
        at_office = [p for p in people if entries[p.pk] == "WFO"]
        at_home = [p for p in people if entries[p.pk] == "WFH"]
        for proposer, partner in list(zip(at_office, at_home, strict=False))[:limit]:
            swap = propose_swap(proposer=proposer, partner_id=partner.pk, day=day)
            answer_swap(swap_id=swap.pk, partner=partner, accept=True)
            made += 1
    return made


def test_the_two_swap_pages_run_the_same_queries_as_swaps_and_staff_grow(client, login, office):
    opd = office["roster"].opd
    # Week 51 too, with sixteen more back-office staff: swaps waiting in both weeks.
    extra = [EmployeeFactory(opd=opd, name=f"Tambahan {i}") for i in range(16)]
    build_roster(week_start=date(2026, 12, 14))
    approve_rosters(
        roster_ids=list(Roster.objects.filter(status="draft").values_list("pk", flat=True)),
        user=office["bkpsdm"].user,
    )
    _swap, proposer, _partner = accepted_swap(office)
    assert _swaps_in_week_51(extra, [date(2026, 12, 15)], limit=1) == 1
    pages = {
        reverse("scheduling:swaps"): proposer,
        reverse("scheduling:opd-swaps", args=["DISDUKCAPIL"]): office["head"],
    }

    def counts():
        found = {}
        for url, person in pages.items():
            login(person.user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found[url] = len(queries)
            client.logout()
        return found

    small = counts()
    more = _swaps_in_week_51(extra, [date(2026, 12, 16), date(2026, 12, 17)])
    decided = Swap.objects.filter(status="accepted", date__gt=date(2026, 12, 15)).first()
    decide_swap(swap_id=decided.pk, user=office["head"].user, approve=False, note="Tidak")
    [EmployeeFactory(opd=opd) for _ in range(10)]
    assert more >= 6 and Swap.objects.filter(status="accepted").count() >= 6
    assert counts() == small
    # ASN: session, user and employee, my swaps, my days, colleagues' days, open swaps,
    # unread notices.
    assert small[reverse("scheduling:swaps")] <= 8


def test_bkpsdm_reads_swaps_in_the_admin_but_cannot_add_change_or_delete_them(
    client, login, office
):
    swap, proposer, partner = accepted_swap(office)
    other, _ = pair(office["counter"])
    login(office["bkpsdm"].user)
    listing = reverse("admin:scheduling_swap_changelist")
    body = client.get(listing, {"status": "accepted", "q": proposer.nip}).content.decode()
    assert proposer.name in body and partner.name in body and "WFO ⇄ WFH" in body
    assert client.get(listing, {"opd__id__exact": swap.opd_id}).status_code == 200
    assert client.get(listing, {"date__gte": "2026-12-08"}).status_code == 200
    assert proposer.name not in client.get(listing, {"q": other.name}).content.decode()
    change = reverse("admin:scheduling_swap_change", args=[swap.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:scheduling_swap_add")).status_code == 403
    assert client.post(change, {"status": "approved"}).status_code == 403
    assert client.post(reverse("admin:scheduling_swap_delete", args=[swap.pk])).status_code == 403
    swap.refresh_from_db()
    assert swap.status == "accepted"

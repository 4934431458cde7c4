"""Changes to a submitted or approved week: one path, the builder's rules, a log."""

from datetime import date

import pytest

from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory, ServicePostFactory
from scheduling.models import Roster, RosterChange, RosterEntry
from scheduling.roster import Reason
from scheduling.services.approval import approve_rosters
from scheduling.services.build import build_roster
from scheduling.services.changes import ChangeError, DayChange, change_days, check_days
from scheduling.signals import days_changed

from .factories import LeaveFactory, PolicyFactory

pytestmark = pytest.mark.django_db
W50 = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)


@pytest.fixture
def approved():
    """A counter of four (three at the office), six back-office staff, approved."""
    PolicyFactory()
    opd = OpdFactory(code="DISDUKCAPIL")
    post = ServicePostFactory(opd=opd, code="KTP", name="Loket KTP", min_onsite=3)
    head = EmployeeFactory(opd=opd, role=Role.HEAD, name="Kepala Dinas")
    counter = [EmployeeFactory(opd=opd, post=post, name=f"Loket {i}") for i in range(4)]
    back = [EmployeeFactory(opd=opd, name=f"Staf {i}") for i in range(6)]
    build_roster(week_start=W50)
    bkpsdm = EmployeeFactory(role=Role.BKPSDM)
    approve_rosters(roster_ids=list(Roster.objects.values_list("pk", flat=True)), user=bkpsdm.user)
    return Roster.objects.get(opd=opd), head, counter, back


def mode_of(person, day=TUESDAY):
    return RosterEntry.objects.get(employee=person, date=day)


def test_a_recall_changes_the_entry_logs_it_and_owes_the_person_a_day(approved):
    roster, head, _counter, back = approved
    home = next(p for p in back if mode_of(p).mode == "WFH")
    before = roster.balances[str(home.pk)]
    heard = []
    days_changed.connect(lambda **kw: heard.append(kw["dates"]), weak=False, dispatch_uid="t1")
    try:
        [logged] = change_days(
            opd_id=roster.opd_id,
            changes=[DayChange(home.pk, TUESDAY, "WFO", Reason.RECALLED, {"by": head.name})],
            kind=RosterChange.Kind.RECALL,
            user=head.user,
            tolerate={"too_few_remote"},
        )
    finally:
        days_changed.disconnect(dispatch_uid="t1")
    entry = mode_of(home)
    assert (entry.mode, entry.reason, entry.args) == ("WFO", "recalled", {"by": "Kepala Dinas"})
    assert (logged.old_mode, logged.new_mode, logged.changed_by) == ("WFH", "WFO", head.user)
    roster.refresh_from_db()
    assert roster.balances[str(home.pk)] == pytest.approx(before - 1)
    assert "dipanggil ke kantor" in roster.history.first().history_change_reason
    assert roster.status == "approved"


def test_a_change_that_breaks_a_rule_writes_nothing_and_names_the_rule(approved):
    roster, head, counter, _back = approved
    at_office = next(p for p in counter if mode_of(p).mode == "WFO")
    with pytest.raises(ChangeError, match="pos Loket KTP tinggal 2 dari 3"):
        change_days(
            opd_id=roster.opd_id,
            changes=[DayChange(at_office.pk, TUESDAY, "WFH", Reason.REQUESTED, {"mode": "WFH"})],
            kind=RosterChange.Kind.REQUEST,
            user=head.user,
        )
    assert mode_of(at_office).mode == "WFO"
    assert not RosterChange.objects.exists()


def test_leave_may_leave_a_post_short_when_tolerated_and_the_preview_says_so(approved):
    roster, head, counter, _back = approved
    at_office = next(p for p in counter if mode_of(p).mode == "WFO")
    LeaveFactory(employee=at_office, start=TUESDAY, end=TUESDAY, kind="sakit")
    change = DayChange(at_office.pk, TUESDAY, "LEAVE", Reason.LEAVE, {"kind": "sakit"})
    preview = check_days(opd_id=roster.opd_id, changes=[change], tolerate={"post_minimum"})
    assert preview.refused == [] and len(preview.warnings) == 1
    assert "Loket KTP" in preview.warnings[0]
    change_days(
        opd_id=roster.opd_id,
        changes=[change],
        kind=RosterChange.Kind.REQUEST,
        user=head.user,
        tolerate={"post_minimum"},
    )
    assert mode_of(at_office).mode == "LEAVE"


def test_a_draft_week_is_not_changed_this_way(approved):
    roster, head, _counter, back = approved
    roster.status = "draft"
    roster.decided_by = None
    roster.decided_at = None
    roster.save()
    with pytest.raises(ChangeError, match="belum diajukan"):
        change_days(
            opd_id=roster.opd_id,
            changes=[DayChange(back[0].pk, TUESDAY, "WFO", Reason.RECALLED, {})],
            kind=RosterChange.Kind.RECALL,
            user=head.user,
        )


def test_bkpsdm_reads_the_change_log_in_the_admin_and_filters_it_by_kind(approved, login):
    from django.urls import reverse

    roster, head, _counter, back = approved
    home = next(p for p in back if mode_of(p).mode == "WFH")
    change_days(
        opd_id=roster.opd_id,
        changes=[DayChange(home.pk, TUESDAY, "WFO", Reason.RECALLED, {"by": head.name})],
        kind=RosterChange.Kind.RECALL,
        user=head.user,
        note="loket ramai",
        tolerate={"too_few_remote"},
    )
    bkpsdm = EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM"))
    client = login(bkpsdm.user)
    url = reverse("admin:scheduling_rosterchange_changelist")
    page = client.get(url, {"kind__exact": "recall"}).content.decode()
    assert home.name in page and "WFH → WFO" in page and "loket ramai" in page
    assert "dipanggil ke kantor oleh Kepala Dinas" in page
    assert home.name not in client.get(url, {"kind__exact": "swap"}).content.decode()
    # Read-only: nobody edits the log by hand.
    entry = RosterChange.objects.get()
    change = reverse("admin:scheduling_rosterchange_change", args=[entry.pk])
    assert client.post(change, {"note": "x"}).status_code == 403
    # A head never reaches the admin.
    assert login(head.user).get(url).status_code == 302

"""Swap pages: an ASN's own swaps and the proposal form; the head's swaps to decide.

Access is decided by ``opd.access`` as everywhere: a swap is only ever looked up
through the viewer's own employee (as proposer or as colleague) or an OPD they may see,
so another person's or another OPD's swap id answers 404.
"""

from collections import defaultdict
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opd.access import employee_of, get_visible_opd, role_required
from opd.dates import day_text
from opd.models import Role

from .models import RosterEntry, Swap
from .services.changes import CHANGEABLE
from .services.swaps import (
    NOTE_MAX,
    SWAPPABLE,
    SwapError,
    answer_swap,
    cancel_swap,
    decide_swap,
    may_decide,
    previews,
    propose_swap,
)

EVERYONE = (Role.ASN, Role.HEAD, Role.BKPSDM)
# Swaps listed on a page: the open ones and the most recent others.
RECENT = 30
# How far ahead a swap may be proposed: this week and next (what a roster can exist for).
AHEAD_DAYS = 13


class ProposeForm(forms.Form):
    # "YYYY-MM-DD:partner id", one option per coming day and colleague of another mode.
    choice = forms.RegexField(regex=r"^\d{4}-\d{2}-\d{2}:\d{1,10}$")
    note = forms.CharField(max_length=NOTE_MAX, required=False, strip=True)

    def clean_choice(self):
        day, partner = self.cleaned_data["choice"].split(":")
        try:
            return date.fromisoformat(day), int(partner)
        except ValueError:
            raise forms.ValidationError(gettext_lazy("Pilihan tidak dikenal.")) from None


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("terima", "terima"), ("tolak", "tolak")])


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("setujui", "setujui"), ("tolak", "tolak")])
    note = forms.CharField(max_length=NOTE_MAX, required=False, strip=True)


def _options(employee, today: date):
    """The viewer's coming days in a submitted or approved roster, each with the
    colleagues of their post (or back office) whose mode differs that day. Three
    queries, whatever the size of the OPD."""
    mine = list(
        RosterEntry.objects.filter(
            employee=employee,
            date__range=(today, today + timedelta(days=AHEAD_DAYS)),
            roster__status__in=CHANGEABLE,
            mode__in=SWAPPABLE,
        )
        .order_by("date")
        .values_list("date", "mode")
    )
    if not mine:
        return []
    days = [day for day, _mode in mine]
    group = (
        Q(employee__post_id=employee.post_id)
        if employee.post_id
        else Q(employee__post__isnull=True)
    )
    theirs = (
        RosterEntry.objects.filter(
            group,
            roster__opd_id=employee.opd_id,
            roster__status__in=CHANGEABLE,
            date__in=days,
            mode__in=SWAPPABLE,
            employee__active=True,
            employee__wfh_eligible=True,
        )
        .exclude(employee=employee)
        .exclude(employee__role=Role.HEAD)
        .order_by("date", "employee__name")
        .values_list("date", "mode", "employee_id", "employee__name")
    )
    busy = defaultdict(set)  # day -> people with an open swap that day
    for day, proposer, partner in Swap.objects.filter(
        opd_id=employee.opd_id, date__in=days, status__in=Swap.OPEN
    ).values_list("date", "proposer_id", "partner_id"):
        busy[day] |= {proposer, partner}
    colleagues = defaultdict(list)
    for day, mode, pk, name in theirs:
        colleagues[day].append({"id": pk, "name": name, "mode": mode, "busy": pk in busy[day]})
    return [
        {
            "date": day,
            "mode": mode,
            "busy": employee.pk in busy[day],
            "colleagues": [c for c in colleagues[day] if c["mode"] != mode],
        }
        for day, mode in mine
    ]


@role_required(*EVERYONE)
def swaps(request):
    """ "Tukar jadwal": my swaps (to answer, to cancel) and the form to propose one."""
    employee = employee_of(request.user)
    today = timezone.localdate()
    form = ProposeForm(request.POST or None)
    if request.method == "POST":
        if employee is None:
            messages.error(request, _("Akun ini tidak terhubung dengan data pegawai."))
            return redirect("scheduling:swaps")
        if not form.is_valid():
            messages.error(
                request, _("Pilih hari dan rekan dari daftar, alasan paling panjang 300 karakter.")
            )
            return redirect("scheduling:swaps")
        day, partner_id = form.cleaned_data["choice"]
        try:
            swap = propose_swap(
                proposer=employee, partner_id=partner_id, day=day, note=form.cleaned_data["note"]
            )
        except SwapError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Ajakan tukar jadwal pada {day} dikirim ke {name}. Setelah {name} menerima, "
                    "Kepala OPD memutuskan."
                ).format(day=day_text(swap.date), name=swap.partner.name),
            )
        return redirect("scheduling:swaps")
    mine = []
    options = []
    if employee is not None:
        mine = list(
            Swap.objects.filter(Q(proposer=employee) | Q(partner=employee))
            .select_related("proposer", "partner")
            .order_by("-created_at", "-id")[:RECENT]
        )
        options = _options(employee, today)
    incoming = [s for s in mine if s.partner_id == employee.pk] if employee else []
    outgoing = [s for s in mine if s.proposer_id == employee.pk] if employee else []
    return render(
        request,
        "scheduling/swaps.html",
        {
            "employee": employee,
            "incoming": incoming,
            "outgoing": outgoing,
            "options": options,
            "today": today,
            "note_max": NOTE_MAX,
        },
    )


@require_POST
@role_required(*EVERYONE)
def swap_answer(request, pk):
    """The colleague accepts or declines; only a swap offered to the viewer exists here."""
    employee = employee_of(request.user)
    swap = get_object_or_404(Swap, pk=pk, partner=employee) if employee else None
    if swap is None:
        return redirect("scheduling:swaps")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih terima atau tolak."))
        return redirect("scheduling:swaps")
    accept = form.cleaned_data["answer"] == "terima"
    try:
        answer_swap(swap_id=swap.pk, partner=employee, accept=accept)
    except SwapError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Tukar jadwal diterima; kini menunggu persetujuan Kepala OPD.")
            if accept
            else _("Tukar jadwal ditolak."),
        )
    return redirect("scheduling:swaps")


@require_POST
@role_required(*EVERYONE)
def swap_cancel(request, pk):
    """The proposer withdraws an open swap; only the viewer's own proposals exist here."""
    employee = employee_of(request.user)
    swap = get_object_or_404(Swap, pk=pk, proposer=employee) if employee else None
    if swap is None:
        return redirect("scheduling:swaps")
    try:
        cancel_swap(swap_id=swap.pk, proposer=employee)
    except SwapError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Tukar jadwal dibatalkan."))
    return redirect("scheduling:swaps")


@role_required(Role.HEAD, Role.BKPSDM)
def opd_swaps(request, code):
    """The swaps of one OPD: those waiting for a decision, with the rule check now,
    then the others that are open or recently decided."""
    opd = get_visible_opd(request.user, code)
    today = timezone.localdate()
    waiting = list(
        Swap.objects.filter(opd=opd, status=Swap.Status.ACCEPTED)
        .select_related("proposer", "partner")
        .order_by("date", "id")
    )
    checks = previews(opd.pk, [s for s in waiting if s.date >= today])
    rows = [
        {
            "swap": swap,
            "past": swap.date < today,
            "problems": checks.get(swap.pk, []),
            "may_decide": may_decide(request.user, swap),
        }
        for swap in waiting
    ]
    others = list(
        Swap.objects.filter(opd=opd)
        .exclude(status=Swap.Status.ACCEPTED)
        .select_related("proposer", "partner", "decided_by__employee")
        .order_by("-created_at", "-id")[:RECENT]
    )
    return render(
        request,
        "scheduling/opd_swaps.html",
        {"opd": opd, "rows": rows, "others": others, "today": today, "note_max": NOTE_MAX},
    )


@require_POST
@role_required(Role.HEAD, Role.BKPSDM)
def opd_swap_decide(request, code, pk):
    """Approve (the roster changes at once) or reject with a reason."""
    opd = get_visible_opd(request.user, code)
    swap = get_object_or_404(Swap, pk=pk, opd=opd)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak; catatan paling panjang 300 karakter."))
        return redirect("scheduling:opd-swaps", opd.code)
    approve = form.cleaned_data["decision"] == "setujui"
    try:
        decided = decide_swap(
            swap_id=swap.pk, user=request.user, approve=approve, note=form.cleaned_data["note"]
        )
    except SwapError as error:
        messages.error(request, str(error))
    else:
        names = {"proposer": decided.proposer.name, "partner": decided.partner.name}
        messages.success(
            request,
            (
                _("Tukar jadwal {proposer} dan {partner} disetujui; roster sudah diubah.")
                if approve
                else _("Tukar jadwal {proposer} dan {partner} ditolak.")
            ).format(**names),
        )
    return redirect("scheduling:opd-swaps", opd.code)

"""Request pages: an ASN's own requests and the form to submit one; the head's pending
requests with what approving each would do; the attachment, for the few who may see it.

Access is decided by ``opd.access`` as everywhere: a request is only ever looked up
through the viewer's own employee, an OPD they may see or the employees they may see,
so another person's or another OPD's request id answers 404.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opd.access import (
    employee_of,
    employees_visible_to,
    get_visible_opd,
    opds_visible_to,
    role_of,
    role_required,
)
from opd.dates import range_text
from opd.models import Role

from .models import DayRequest
from .services.requests import (
    CUTI_KINDS,
    MAX_ATTACHMENT_BYTES,
    RequestError,
    can_decide,
    cancel_request,
    decide_request,
    preview_requests,
    sniff,
    submit_request,
)

EVERYONE = (Role.ASN, Role.HEAD, Role.BKPSDM)
# Requests listed on a page: an ASN's most recent ones; a head's pending ones, a page
# at a time, each with its preview (computed for the page at once: the page costs the
# same queries for one request or twenty); the most recently decided; and for BKPSDM
# the heads' own pending requests.
MINE_SHOWN = 30
PENDING_PER_PAGE = 20
PENDING_SHOWN = 20
DECIDED_SHOWN = 10


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis permohonan"), choices=DayRequest.Kind.choices
    )
    leave_kind = forms.ChoiceField(
        label=gettext_lazy("Jenis cuti"),
        choices=[("", "—"), *[(k.value, k.label) for k in CUTI_KINDS]],
        required=False,
        help_text=gettext_lazy("Hanya untuk permohonan cuti."),
    )
    start = forms.DateField(
        label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Sampai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Lampiran"),
        required=False,
        help_text=gettext_lazy(
            "Opsional, misalnya surat dokter: PDF, JPEG atau PNG, paling besar 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("setujui", "setujui"), ("tolak", "tolak")])
    note = forms.CharField(max_length=300, required=False, strip=True)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)


@role_required(*EVERYONE)
def my_requests(request):
    """ "Permohonan": my requests with their status, and the form to submit one."""
    employee = employee_of(request.user)
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if employee is None:
            messages.error(request, _("Akun ini tidak terhubung dengan data pegawai."))
            return redirect("scheduling:requests")
        if form.is_valid():
            data = form.cleaned_data
            try:
                submitted = submit_request(
                    employee=employee,
                    kind=data["kind"],
                    start=data["start"],
                    end=data["end"],
                    leave_kind=data["leave_kind"],
                    note=data["note"],
                    attachment=data["attachment"],
                )
            except RequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    (
                        _(
                            "Permohonan {kind} untuk {period} dikirim ke BKPSDM "
                            "dan menunggu keputusan."
                        )
                        if employee.role == Role.HEAD
                        else _(
                            "Permohonan {kind} untuk {period} dikirim ke Kepala OPD "
                            "dan menunggu keputusan."
                        )
                    ).format(
                        kind=submitted.get_kind_display(),
                        period=range_text(submitted.start, submitted.end),
                    ),
                )
                return redirect("scheduling:requests")
        messages.error(request, _("Permohonan belum dikirim; periksa isian di bawah."))
    mine = []
    if employee is not None:
        mine = list(
            DayRequest.objects.filter(employee=employee).select_related("decided_by__employee")[
                :MINE_SHOWN
            ]
        )
    return render(
        request,
        "scheduling/requests.html",
        {
            "employee": employee,
            "mine": mine,
            "form": form,
            "max_mb": MAX_ATTACHMENT_BYTES // 2**20,
        },
    )


@require_POST
@role_required(*EVERYONE)
def request_cancel(request, pk):
    """The person withdraws their own pending request; anyone else's id is 404."""
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    get_object_or_404(DayRequest, pk=pk, employee=employee)
    try:
        cancel_request(request_id=pk, employee=employee)
    except RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Permohonan dibatalkan."))
    return redirect("scheduling:requests")


@role_required(*EVERYONE)
def request_attachment(request, pk):
    """The attachment, to the person, their OPD's head and BKPSDM only (404 for anyone
    else), as a download of the type its content shows, never rendered inline."""
    day_request = get_object_or_404(
        DayRequest.objects.filter(employee__in=employees_visible_to(request.user)), pk=pk
    )
    if not day_request.attachment:
        raise Http404
    try:
        handle = day_request.attachment.open("rb")
    except OSError:
        raise Http404 from None
    found = sniff(handle.read(8))
    handle.seek(0)
    content_type, extension = found or ("application/octet-stream", "")
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=True,
        filename=f"lampiran-permohonan-{day_request.pk}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@role_required(Role.HEAD, Role.BKPSDM)
def opd_requests(request, code):
    """The OPD's pending requests, each with what approving it would do (a post left
    short, with who could be recalled) and the buttons; BKPSDM also sees every head's
    own pending request, which only BKPSDM decides."""
    opd = get_visible_opd(request.user, code)
    is_bkpsdm = role_of(request.user) == Role.BKPSDM
    if is_bkpsdm and request.GET.get("opd") and request.GET["opd"] != opd.code:
        return redirect(
            "scheduling:opd-requests", get_visible_opd(request.user, request.GET["opd"]).code
        )
    pending = (
        DayRequest.objects.filter(employee__opd=opd, status=DayRequest.Status.PENDING)
        .select_related("employee__opd", "employee__post")
        .order_by("start", "id")
    )
    page = Paginator(pending, PENDING_PER_PAGE).get_page(request.GET.get("page"))
    previews = preview_requests(list(page.object_list))
    rows = [
        {"request": r, "preview": previews[r.pk], "can_decide": can_decide(r, request.user)}
        for r in page.object_list
    ]
    decided = list(
        DayRequest.objects.filter(employee__opd=opd)
        .exclude(status=DayRequest.Status.PENDING)
        .select_related("employee")
        .order_by("-decided_at", "-id")[:DECIDED_SHOWN]
    )
    context = {
        "opd": opd,
        "rows": rows,
        "page": page,
        "decided": decided,
        "today": timezone.localdate(),
        "is_bkpsdm": is_bkpsdm,
    }
    if is_bkpsdm:
        context["opds"] = opds_visible_to(request.user).only("code", "name")
        context["heads_pending"] = list(
            DayRequest.objects.filter(status=DayRequest.Status.PENDING, employee__role=Role.HEAD)
            .select_related("employee__opd")
            .order_by("start", "id")[:PENDING_SHOWN]
        )
    return render(request, "scheduling/opd_requests.html", context)


@require_POST
@role_required(Role.HEAD, Role.BKPSDM)
def opd_request_decide(request, code, pk):
    """Approve, or reject with a note, one pending request of this OPD; back to the
    page of the list it was decided on."""
    opd = get_visible_opd(request.user, code)
    day_request = get_object_or_404(DayRequest, pk=pk, employee__opd=opd)
    form = DecideForm(request.POST)
    back = reverse("scheduling:opd-requests", args=[opd.code])
    if form.is_valid() and form.cleaned_data["page"] and form.cleaned_data["page"] > 1:
        back += f"?page={form.cleaned_data['page']}"
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak; catatan paling panjang 300 karakter."))
        return redirect(back)
    approve = form.cleaned_data["decision"] == "setujui"
    try:
        decided = decide_request(
            request_id=day_request.pk,
            user=request.user,
            approve=approve,
            note=form.cleaned_data["note"],
        )
    except RequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            (
                _("Permohonan {kind} {name} disetujui; jadwalnya sudah disesuaikan.")
                if approve
                else _("Permohonan {kind} {name} ditolak.")
            ).format(kind=decided.get_kind_display(), name=decided.employee.name),
        )
    return redirect(back)

"""The person's own calendar feed: see it, turn it on (or make a new address), turn
it off. Only ever the viewer's own feed: no URL names another person."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opd.access import employee_of, role_required
from opd.models import Role

from . import feeds

# The new token waits here between the POST that made it and the page that shows it
# once (Post/Redirect/Get); the page pops it.
SESSION_KEY = "calendar_feed_token"


def _own_employee(request):
    employee = employee_of(request.user)
    if employee is None:
        raise Http404
    return employee


@role_required(Role.ASN, Role.HEAD, Role.BKPSDM)
def calendar_feed(request):
    employee = employee_of(request.user)
    feed = feeds.feed_of(employee) if employee else None
    token = request.session.pop(SESSION_KEY, None)
    urls = None
    if token and employee and feeds.is_current(employee, token):
        https = request.build_absolute_uri(
            reverse("attendance:calendar-ics", kwargs={"token": token})
        )
        urls = {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}
    return render(
        request,
        "scheduling/calendar_feed.html",
        {"employee": employee, "feed": feed, "urls": urls},
    )


@require_POST
@role_required(Role.ASN, Role.HEAD, Role.BKPSDM)
def calendar_feed_on(request):
    """Turn the feed on, or give it a new address (the old one stops working)."""
    employee = _own_employee(request)
    was_on = (feed := feeds.feed_of(employee)) is not None and feed.active
    request.session[SESSION_KEY] = feeds.turn_on(employee)
    messages.success(
        request,
        _("Alamat kalender yang baru sudah dibuat; alamat lama tidak berlaku lagi.")
        if was_on
        else _("Kalender pribadi diaktifkan."),
    )
    return redirect("scheduling:calendar-feed")


@require_POST
@role_required(Role.ASN, Role.HEAD, Role.BKPSDM)
def calendar_feed_off(request):
    employee = _own_employee(request)
    request.session.pop(SESSION_KEY, None)
    if feeds.turn_off(employee):
        messages.success(request, _("Kalender pribadi dimatikan; alamatnya tidak berlaku lagi."))
    else:
        messages.info(request, _("Kalender pribadi memang belum aktif."))
    return redirect("scheduling:calendar-feed")

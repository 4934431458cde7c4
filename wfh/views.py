"""Views that wire the apps together."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from opd.access import employee_of, role_of
from opd.models import Role
from scheduling.calendar import DateTextError

log = logging.getLogger(__name__)


def home(request):
    """Send each person to the page they came for: everyone with an employee record
    checks in and out, so that page comes first; a bare superuser gets the OPD list."""
    if not request.user.is_authenticated:
        return redirect("login")
    role = role_of(request.user)
    if role in (Role.ASN, Role.HEAD, Role.BKPSDM) and employee_of(request.user) is not None:
        return redirect("attendance:check-in")
    if role == Role.BKPSDM:
        return redirect("opd:opd-list")
    return render(request, "opd/no_role.html", status=403)


def bad_request(request, exception):
    """The 400 handler: a wrongly written week, month or date answers with the reason
    (``DateTextError``); other bad requests get the general text, revealing nothing."""
    message = str(exception) if isinstance(exception, DateTextError) else ""
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request):
    """The 500 handler: a database that cannot be reached is a 503, not a crash.

    Django calls this for any uncaught exception, wherever it was raised (a view, a
    template, or middleware loading the session), with the exception still current.
    Both pages are static: rendering them must not need the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        log.error("database unavailable: %s", error.__class__.__name__)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)

"""Views that wire the apps together."""

from django.shortcuts import redirect, render

from opd.access import employee_of, role_of
from opd.models import Role


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

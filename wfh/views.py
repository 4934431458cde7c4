"""Views that wire the apps together."""

from django.shortcuts import redirect, render

from opd.access import role_of
from opd.models import Role


def home(request):
    """Send each person to the page they came for."""
    if not request.user.is_authenticated:
        return redirect("login")
    role = role_of(request.user)
    if role == Role.BKPSDM:
        return redirect("opd:opd-list")
    if role == Role.HEAD:
        return redirect("scheduling:roster-index")
    if role == Role.ASN:
        return redirect("scheduling:my-schedule")
    return render(request, "opd/no_role.html", status=403)

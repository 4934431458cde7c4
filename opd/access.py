"""Who may see what. Every view asks this module; no view decides access on its own.

Three roles (``Role``): an ASN sees only their own data, an OPD head sees their OPD,
BKPSDM staff (and superusers) see every OPD and use the admin. The role lives on the
employee record; the matching auth group and ``is_staff`` flag are kept in step by
``opd.services`` so the admin's permission system agrees.

Views use the decorators for the role gate (403 when the role is wrong) and the
scoped querysets for objects (404 when the object is outside the viewer's scope, so a
head cannot even learn whether another OPD's code exists).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Employee, Opd, Role
from .roles import ASN_GROUP, BKPSDM_GROUP, HEAD_GROUP

ROLE_GROUPS = {
    Role.ASN: ASN_GROUP,
    Role.HEAD: HEAD_GROUP,
    Role.BKPSDM: BKPSDM_GROUP,
}


def employee_of(user) -> Employee | None:
    """The employee record of a logged-in user, or None (e.g. a bare superuser)."""
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.BKPSDM
    employee = employee_of(user)
    if employee is None or not employee.active:
        return None
    return employee.role


def is_bkpsdm(user) -> bool:
    return role_of(user) == Role.BKPSDM


def role_required(*roles):
    """View decorator: anonymous users go to the login page, other roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def opds_visible_to(user):
    """OPDs the user may read: all for BKPSDM, their own for a head, none otherwise."""
    role = role_of(user)
    if role == Role.BKPSDM:
        return Opd.objects.all()
    if role == Role.HEAD:
        return Opd.objects.filter(pk=employee_of(user).opd_id)
    return Opd.objects.none()


def get_visible_opd(user, code: str) -> Opd:
    """The OPD with this code if the user may read it; 404 otherwise."""
    return get_object_or_404(opds_visible_to(user), code=code)


def employees_visible_to(user):
    """Employees whose records the user may read: themselves, plus everyone of the OPDs
    they may read (a head: their OPD; BKPSDM: all). For a record that belongs to one
    person, such as a request's attachment."""
    me = employee_of(user)
    scope = Q(opd__in=opds_visible_to(user))
    if me is not None:
        scope |= Q(pk=me.pk)
    return Employee.objects.filter(scope)

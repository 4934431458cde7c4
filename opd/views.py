from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.services import reminders_enabled

from .access import employee_of, get_visible_opd, opds_visible_to, role_required
from .models import Role

EMPLOYEES_PER_PAGE = 100


@role_required(Role.ASN, Role.HEAD, Role.BKPSDM)
def profile(request):
    employee = employee_of(request.user)
    return render(
        request,
        "opd/profile.html",
        {"employee": employee, "reminders_on": reminders_enabled(request.user)},
    )


@role_required(Role.HEAD, Role.BKPSDM)
def opd_list(request):
    opds = opds_visible_to(request.user).annotate(
        employee_count=Count("employees", filter=Q(employees__active=True), distinct=True),
        post_count=Count("posts", distinct=True),
    )
    return render(request, "opd/opd_list.html", {"opds": opds})


@role_required(Role.HEAD, Role.BKPSDM)
def opd_detail(request, code):
    opd = get_visible_opd(request.user, code)
    posts = opd.posts.annotate(staff=Count("employees", filter=Q(employees__active=True))).order_by(
        "code"
    )
    employees = opd.employees.filter(active=True).select_related("post").order_by("name", "nip")
    page = Paginator(employees, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "opd/opd_detail.html", {"opd": opd, "posts": posts, "page": page})


def csrf_failure(request, reason=""):
    """A form refused for its security token (a page left open past a new login, or
    past the session's end): the app's page in Indonesian, with the way on, instead of
    Django's developer page (``CSRF_FAILURE_VIEW``)."""
    # Back to the page the form was on when the browser says which (same site only);
    # otherwise the address posted to.
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(
        request, "403_csrf.html", {"again": referer if same_site else request.path}, status=403
    )

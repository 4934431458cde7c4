from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render

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

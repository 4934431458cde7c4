"""The bare-stack check-in (see ``settings_bare``): one page, one form, one row a day.

Served at the app's own URL, ``/presensi/``, so the load generator drives both alike:
GET answers a page with the CSRF token, POST ``action=in`` get_or_creates the day's
attendance row, POST ``action=out`` stamps the check-out once, both redirect back.
"""

from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.utils import timezone

from attendance.models import Attendance
from opd.models import Employee


def check_in(request):
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    if request.method != "POST":
        token = get_token(request)
        return HttpResponse(
            '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{token}"><button name="action" value="in">Masuk</button></form>'
        )
    employee_id, opd_id = Employee.objects.values_list("id", "opd_id").get(user_id=request.user.id)
    now = timezone.now()
    today = timezone.localdate(now)
    if request.POST.get("action") == "in":
        Attendance.objects.get_or_create(
            employee_id=employee_id,
            date=today,
            defaults={"opd_id": opd_id, "mode": "WFO", "status": "present", "check_in_at": now},
        )
    else:
        Attendance.objects.filter(
            employee_id=employee_id, date=today, check_out_at__isnull=True
        ).update(check_out_at=now, report=request.POST.get("report", ""))
    return HttpResponseRedirect("/presensi/")


urlpatterns = [path("presensi/", check_in)]

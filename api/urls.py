from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# The OpenAPI description of the key header: drf-spectacular finds extensions by
# import, and the schema is only ever made through these URLs (the page, the view and
# ``manage.py spectacular``, which walks them). Not in ApiConfig.ready: that made every
# process, a command-line export too, import drf-spectacular (0.12 s).
from . import schema, views  # noqa: F401

app_name = "api"

urlpatterns = [
    path("schedule/", views.WeekSchedule.as_view(), name="schedule"),
    path("employees/<str:nip>/schedule/", views.PersonSchedule.as_view(), name="person-schedule"),
    path("employees/<str:nip>/reports/", views.AcceptedReports.as_view(), name="reports"),
    path("attendance/", views.DayAttendance.as_view(), name="attendance"),
    path("recap/", views.MonthRecap.as_view(), name="recap"),
    path("leaves/", views.Leaves.as_view(), name="leaves"),
    path("employees/", views.Employees.as_view(), name="employees"),
    # The schema and its docs hold no data: open to anyone, no key.
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:schema", authentication_classes=[], permission_classes=[]
        ),
        name="docs",
    ),
]

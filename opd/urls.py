from django.urls import path

from . import views

app_name = "opd"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("opd/", views.opd_list, name="opd-list"),
    path("opd/<str:code>/", views.opd_detail, name="opd-detail"),
]

from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("beranda/", views.home_page, name="home"),
    path("evaluasi/penghematan/", views.savings_page, name="savings"),
    path("evaluasi/keadilan/", views.fairness_index, name="fairness"),
    path("evaluasi/disiplin/", views.discipline_page, name="discipline"),
    path("evaluasi/disiplin/tangga/", views.ladder_page, name="ladder"),
    path("evaluasi/keadilan/<str:code>/", views.fairness_opd, name="fairness-opd"),
]

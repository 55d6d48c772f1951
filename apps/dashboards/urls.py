from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("teacher/", views.teacher, name="teacher"),
    path("school/", views.school, name="school"),
    path("center/", views.center, name="center"),
    path("bureau/", views.bureau, name="bureau"),
]
